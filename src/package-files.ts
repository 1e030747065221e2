// Where the package's own files are, the same from the sources (src/**/*.ts, run by tsx in a clone)
// and from the build (dist/*.js and dist/chunks/*.js, bundled by scripts/build-dist.mjs). A bundled
// module's import.meta.url is its chunk's, whose depth esbuild decides, so the root is found by
// walking up to the package.json that names this package rather than by counting folders.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

function findPackageRoot(from: string): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isWaymarkManifest(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no waymark package.json above ${from}`);
    dir = parent;
  }
}

function isWaymarkManifest(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return (
      typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'waymark'
    );
  } catch {
    return false;
  }
}

/** The package root: package.json, ui/dist, and src/ or dist/. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Whether this process runs the built package (dist/**\/*.js) rather than the sources through tsx. */
export const RUNS_BUILT = import.meta.url.endsWith('.js');

/** The built console. */
export const UI_DIST = join(PACKAGE_ROOT, 'ui', 'dist');

/** The built browser SDK, @waymark/web (`node scripts/build-sdk.mjs`), served at /sdk/. */
export const SDK_DIST = join(PACKAGE_ROOT, 'sdk', 'web', 'dist');

/** The Luma demo's storefront (static files), served at /demo/luma/ by `waymark serve --demo`. */
export const STOREFRONT_ROOT = join(PACKAGE_ROOT, 'examples', 'luma', 'storefront');

/** The built documentation site (`npm run docs`), served at /docs when present. */
export const DOCS_DIST = join(PACKAGE_ROOT, 'docs', '.vitepress', 'dist');

/** The ingest workers' entry: the built file, or the source loaded through tsx. */
export const CHECK_WORKER_ENTRY = pathToFileURL(
  RUNS_BUILT
    ? join(PACKAGE_ROOT, 'dist', 'check-worker.js')
    : join(PACKAGE_ROOT, 'src', 'runtime', 'workers', 'check-worker.ts'),
).href;
