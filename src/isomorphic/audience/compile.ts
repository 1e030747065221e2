export * from '../../audience/compile.ts';
