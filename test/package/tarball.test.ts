// The published package, as a user gets it: `npm pack` (which builds dist/ and the console), an
// install into an empty folder with production dependencies only, then `waymark serve --demo` from
// the install. It must answer /healthz and run the lab's checkout -> purchase, with no TypeScript,
// no tsx and no dev dependency on disk.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { installPackage } from '../../scripts/install-package.mjs';
import { api, freePort, spawnServer, until } from '../support/process.ts';

/**
 * better-sqlite3's install script downloads its prebuilt addon from GitHub and compiles SQLite when
 * it cannot: offline, as CI is, two minutes of one core. This checkout's own install built that
 * same addon (same version, same Node ABI); offered as a local prebuild (prebuild-install's
 * `npm_config_<package>_local_prebuilds` folder), the install unpacks it as it would a download.
 * Should the package resolve another version, prebuild-install finds no file and compiles.
 */
function localSqlitePrebuild(work: string): Record<string, string> {
  const repoModule = join(import.meta.dirname, '..', '..', 'node_modules', 'better-sqlite3');
  const addon = join(repoModule, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(addon)) return {};
  const { version } = JSON.parse(readFileSync(join(repoModule, 'package.json'), 'utf8')) as {
    version: string;
  };
  const folder = join(work, 'prebuilds');
  mkdirSync(folder);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', [
    '-czf',
    join(folder, name),
    '-C',
    repoModule,
    'build/Release/better_sqlite3.node',
  ]);
  return { npm_config_better_sqlite3_local_prebuilds: folder };
}

test(
  'npm pack installs in an empty folder and serves the Luma demo without TypeScript',
  { timeout: 900_000 },
  async () => {
    const work = mkdtempSync(join(tmpdir(), 'waymark-pack-'));
    try {
      const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
        encoding: 'utf8',
      });
      const tarball = join(work, packed.trim().split('\n').pop()!);
      const app = join(work, 'app');
      installPackage(tarball, app, { env: localSqlitePrebuild(work) });

      const installed = join(app, 'node_modules');
      for (const dev of ['tsx', 'typescript', 'vite', 'esbuild', 'playwright-core'])
        assert.equal(existsSync(join(installed, dev)), false, `${dev} is not installed`);
      const pkg = join(installed, 'waymark');
      assert.equal(existsSync(join(pkg, 'src')), false, 'the package ships no sources');
      assert.ok(
        readdirSync(join(pkg, 'ui', 'dist')).includes('index.html'),
        'the console is built',
      );

      const port = await freePort();
      const spawned = await spawnServer(
        ['--demo', '--loyalty-port', String(await freePort()), '--smtp-port', '0'],
        join(work, 'data'),
        port,
        {},
        join(installed, '.bin', 'waymark'),
      );
      const server = await spawned.ready(120_000);
      try {
        const health = await fetch(`${server.url}/healthz`);
        assert.equal(health.status, 200);
        const console = await fetch(`${server.url}/`);
        assert.match(await console.text(), /<div id="root">/);
        // The documentation site ships in the package and is served offline at /docs.
        const docs = await fetch(`${server.url}/docs/`);
        assert.equal(docs.status, 200);
        assert.match(await docs.text(), /Waymark/);

        const checkout = {
          type: 'LumaCheckoutEvent_Email',
          payload: {
            _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
            productListItems: [
              { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
            ],
          },
        };
        assert.equal((await api(server, 'POST', '/v1/events', checkout)).body.accepted, 1);
        await until(
          'the checkout to enter the Purchase Journey',
          async () =>
            (await api(server, 'GET', '/v1/journeys/purchase-journey/report')).body.total
              .entered === 1,
        );
        const purchase = { ...checkout, type: 'LumaPurchaseEvent_Email' };
        assert.equal((await api(server, 'POST', '/v1/events', purchase)).body.accepted, 1);
        await until(
          'the purchase to finish the journey',
          async () =>
            (await api(server, 'GET', '/v1/journeys/purchase-journey/report')).body.total.exited ===
            1,
          60_000,
        );
        // The mail went through the embedded SMTP server and was parsed back (mailparser, loaded lazily).
        const mails = await until('the email in the development inbox', async () => {
          const r = await api(server, 'GET', '/v1/dev/inbox');
          const email = r.body.email as { subject?: string }[];
          return email.length > 0 ? email : null;
        });
        assert.ok(mails.every((m) => typeof m.subject === 'string' && m.subject.length > 0));
      } finally {
        await server.kill('SIGTERM');
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
