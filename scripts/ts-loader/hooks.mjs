// Module hooks that run the repository's TypeScript for the test runner: each .ts/.tsx file is
// transformed by esbuild once and kept in node_modules/.cache/waymark-ts, keyed by its path and
// its text. Everything else (node: builtins, packages, JSON) goes to Node untouched, so a test
// process pays one hook call per module and nothing more. tsx does the same job with a resolver
// that handles every import itself; over the ~400 modules a test file loads, that cost about a
// second of CPU per test file (CONTRIBUTING.md, "Checks").
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(REPO, 'node_modules', '.cache', 'waymark-ts');
const TYPESCRIPT = /\.(ts|tsx|mts)$/;
// The alias of tsconfig.json and ui/tsconfig.json: the console and the server share these modules.
const SHARED = '@waymark/shared/';
const SHARED_DIR = pathToFileURL(join(REPO, 'src', 'isomorphic') + '/').href;
// Bump when the transform's options change: old entries are then never read again.
const FORMAT = '1';

let esbuild;
let cacheReady = false;

export async function resolve(specifier, context, next) {
  if (specifier.startsWith(SHARED))
    return { url: new URL(specifier.slice(SHARED.length), SHARED_DIR).href, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !TYPESCRIPT.test(url)) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha1')
    .update(FORMAT)
    .update(path)
    .update('\0')
    .update(source)
    .digest('hex');
  const cached = join(CACHE, `${key}.js`);
  try {
    return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  } catch {
    // Not transformed yet (or the cache was cleared): transform below.
  }
  esbuild ??= await import('esbuild');
  const { code } = esbuild.transformSync(source, {
    loader: path.endsWith('x') ? 'tsx' : 'ts',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    sourcemap: 'inline',
    sourcefile: path,
    // As tsc compiles it (tsconfig.json): type-only imports are marked, value imports stay.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, target: 'ES2022' } },
  });
  if (!cacheReady) {
    mkdirSync(CACHE, { recursive: true });
    cacheReady = true;
  }
  // Test files run in parallel: write aside, then rename, so no reader sees half a file.
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, cached);
  return { format: 'module', source: code, shortCircuit: true };
}
