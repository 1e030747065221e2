export * from '../../access/roles.ts';
