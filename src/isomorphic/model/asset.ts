export * from '../../model/asset.ts';
