export * from '../../content/assets/asset-search.ts';
