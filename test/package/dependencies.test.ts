// The published package depends on exactly what its bundle leaves outside: everything else is
// inside dist/ (esbuild), so an install from the tarball fetches six packages, not the whole
// toolchain. A dependency imported outside the bundle but not listed would break an installed
// server at run time, where no test of a clone would notice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { external } from '../../scripts/build-dist.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

// Left outside the bundle but never installed by us: optional peers of what we depend on.
const OPTIONAL_PEERS = new Set(['pg-native', 'thread-stream', 'msgpackr', 'msgpackr-extract']);

test('the runtime dependencies are the packages the bundle leaves outside, and only those', () => {
  const needed = external.filter((name) => !OPTIONAL_PEERS.has(name)).sort();
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), needed);
  for (const name of Object.keys(pkg.dependencies))
    assert.ok(!(name in pkg.devDependencies), `${name} is listed twice`);
});
