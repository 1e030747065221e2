export * from '../../access/sso-mapping.ts';
