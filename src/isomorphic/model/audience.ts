export * from '../../model/audience.ts';
