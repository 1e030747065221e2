export * from '../../content/personalization-tree.ts';
