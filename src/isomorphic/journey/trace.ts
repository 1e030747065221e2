export * from '../../journey/trace.ts';
