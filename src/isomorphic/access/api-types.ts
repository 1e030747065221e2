export * from '../../access/api-types.ts';
