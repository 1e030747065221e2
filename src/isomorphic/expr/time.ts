export * from '../../expr/time.ts';
