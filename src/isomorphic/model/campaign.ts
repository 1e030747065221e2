export * from '../../model/campaign.ts';
