// `node --import ./scripts/ts-loader/register.mjs`: run the repository's TypeScript (hooks.mjs).
import { register } from 'node:module';

// Stack traces point into the .ts sources (the transform inlines a source map).
process.setSourceMapsEnabled(true);
register('./hooks.mjs', import.meta.url);
