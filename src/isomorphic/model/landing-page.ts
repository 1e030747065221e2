export * from '../../model/landing-page.ts';
