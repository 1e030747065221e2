export * from '../../model/content-template.ts';
