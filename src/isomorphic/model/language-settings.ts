export * from '../../model/language-settings.ts';
