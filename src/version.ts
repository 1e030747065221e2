// Waymark's version, read from package.json: the one place it is written.
import { createRequire } from 'node:module';

const pkg: unknown = createRequire(import.meta.url)('../package.json');

/** The version in package.json (`waymark --version`, /v1/status, /openapi.json). */
export const VERSION: string =
  typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string'
    ? pkg.version
    : '0.0.0';
