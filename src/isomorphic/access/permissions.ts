export * from '../../access/permissions.ts';
