export * from '../../model/segment-source.ts';
