export * from '../../model/offer.ts';
