export * from '../../model/journey.ts';
