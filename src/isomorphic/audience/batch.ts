export * from '../../audience/batch.ts';
