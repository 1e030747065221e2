export * from '../../model/placement.ts';
