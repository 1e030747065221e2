// Every `waymark` command registers all of them (names, options, help), but a command's code loads
// only when it runs: `waymark --version` or `waymark status --help` used to load the whole server
// (the API, the runtime, the stores, NATS, pino) and took seconds. The process below records every
// module it resolves (fixtures/record-modules.mjs); a heavy static import put back into a command
// module, or into anything program.ts loads, makes it list the server's code again.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Repository-relative paths (or node_modules/<package>/… paths) of the modules `waymark <args>` loads. */
function modulesLoadedBy(args: readonly string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-startup-'));
  const file = join(dir, 'modules.txt');
  try {
    execFileSync(
      process.execPath,
      [
        '--import',
        './scripts/ts-loader/register.mjs',
        '--import',
        './test/cli/fixtures/record-modules.mjs',
        'src/cli/main.ts',
        ...args,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, WAYMARK_TEST_MODULES_FILE: file } },
    );
    const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const paths = urls
      .filter((u) => u.startsWith('file:'))
      .map((u) => fileURLToPath(u))
      .map((p) => {
        const nm = p.lastIndexOf('/node_modules/');
        return nm >= 0 ? p.slice(nm + 1) : p.startsWith(root) ? p.slice(root.length) : p;
      });
    return [...new Set(paths)].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The server's code and the heavy packages: none of it is needed to list commands or print help. */
const heavy = [
  /^src\/api\//,
  /^src\/runtime\//,
  /^src\/store\//,
  /^src\/content\//,
  /^src\/expr\//,
  /^src\/bus\//,
  /^src\/channels\//,
  /^src\/model\//,
  /^examples\//,
  /^src\/cli\/commands\/[a-z-]+-run\.ts$/,
  /^node_modules\/(pino|pg|better-sqlite3|fastify|nats|yaml|zod|web-push)\//,
];

for (const args of [['--version'], ['status', '--help'], ['serve', '--help'], ['expr', '--help']])
  test(`waymark ${args.join(' ')} registers every command without loading their code`, () => {
    const loaded = modulesLoadedBy(args);
    // The recorder works and the commands were registered.
    for (const m of [
      'src/cli/program.ts',
      'src/cli/commands/serve.ts',
      'src/cli/commands/simulate.ts',
      'src/cli/commands/migrate.ts',
      'node_modules/commander/esm.mjs',
    ])
      assert.ok(loaded.includes(m), `${m} is loaded`);
    assert.deepEqual(
      loaded.filter((m) => heavy.some((h) => h.test(m))),
      [],
      'modules a command loads only when it runs',
    );
  });
