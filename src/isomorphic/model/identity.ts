export * from '../../model/identity.ts';
