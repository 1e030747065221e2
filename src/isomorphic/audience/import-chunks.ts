// Pure (string in, requests out), but it lives with the import service; it moves here when
// src/runtime/audiences is split.
// eslint-disable-next-line no-restricted-imports
export * from '../../runtime/audiences/import-chunks.ts';
