// The documentation site: `npm run docs` generates the references and builds docs/ with VitePress
// (the first test: the others read its output; the package test's `npm pack` reuses it, see
// scripts/build-docs.mjs);
// every internal link of the built pages leads to a page, file or anchor that exists; the CLI
// reference lists every command of the program; `waymark serve` answers the site at /docs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isSiteFresh } from '../../scripts/build-docs.mjs';
import { buildServer } from '../../src/api/server.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { DOCS_DIST, PACKAGE_ROOT } from '../../src/package-files.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { HELP, helpTopicForPath } from '../../ui/src/app/help-links.ts';
import { checkSiteLinks } from '../support/site-links.ts';
import { openBrowser } from '../ui/support/browser.ts';

const BASE = '/docs/';

test('npm run docs builds the site, and every internal link and anchor of it resolves', () => {
  const r = spawnSync('npm', ['run', '--silent', 'docs'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(
    r.status,
    0,
    `npm run docs failed (vitepress is a devDependency: npm install):\n${r.stdout}\n${r.stderr}`,
  );
  assert.ok(isSiteFresh(), 'the build is stamped: the next `npm run docs` reuses it');
  const { pages, links, broken } = checkSiteLinks(DOCS_DIST, BASE);
  assert.ok(pages >= 20, `the site has its pages (${pages})`);
  assert.ok(links > 500, `links were checked (${links})`);
  assert.deepEqual(broken, [], 'no broken internal link');
});

test('the link check finds a missing page, a missing anchor and a link outside the base', () => {
  const root = mkdtempSync(join(tmpdir(), 'waymark-links-'));
  try {
    mkdirSync(join(root, 'guides'));
    writeFileSync(
      join(root, 'index.html'),
      '<h1 id="top">Home</h1><a href="/docs/guides/a.html#steps">ok</a>',
    );
    writeFileSync(
      join(root, 'guides', 'a.html'),
      [
        '<h2 id="steps">Steps</h2>',
        '<a href="../index.html#top">ok</a> <a href="b">ok, clean URL</a> <a href="#steps">ok</a>',
        '<a href="https://example.com/x">external</a>',
        '<a href="missing.html">bad</a> <a href="b.html#nowhere">bad anchor</a> <a href="/elsewhere/">bad base</a>',
      ].join('\n'),
    );
    writeFileSync(join(root, 'guides', 'b.html'), '<p>B</p>');
    const { broken } = checkSiteLinks(root, BASE);
    assert.deepEqual(
      broken.map((b) => `${b.page} ${b.link}`),
      ['guides/a.html missing.html', 'guides/a.html b.html#nowhere', 'guides/a.html /elsewhere/'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the CLI reference lists every top-level command, each with its own section', async () => {
  const program = await buildProgram();
  const names = program.commands.map((c) => c.name());
  assert.ok(names.length >= 15, `the program has its commands (${names.length})`);
  const html = readFileSync(join(DOCS_DIST, 'reference', 'cli.html'), 'utf8');
  const missing = names.filter((n) => !html.includes(`id="waymark-${n}"`));
  assert.deepEqual(missing, [], 'every command has a section in the CLI reference');
  const api = readFileSync(join(DOCS_DIST, 'reference', 'api.html'), 'utf8');
  for (const route of ['/v1/events', '/v1/dead-letters/{id}/replay', '/v1/journeys'])
    assert.ok(api.includes(route), `the HTTP API reference lists ${route}`);
});

test('the function, personalization and object references list every entry of their registries', async () => {
  const { FUNCTIONS } = await import('../../src/expr/functions/index.ts');
  const { helperCatalog } = await import('../../src/content/functions/catalog.ts');
  const { objectKinds } = await import('../../src/runtime/object-kinds.ts');
  const page = (name: string) => readFileSync(join(DOCS_DIST, 'reference', `${name}.html`), 'utf8');
  const functions = page('functions');
  assert.ok(functions.includes('<code>inAudience</code>'), 'the expression table has inAudience');
  assert.ok(
    functions.includes('True when the profile belongs to the audience'),
    'with its description',
  );
  const missingFunctions = [...FUNCTIONS.keys()].filter(
    (n) => !functions.includes(`<code>${n}</code>`),
  );
  assert.deepEqual(missingFunctions, [], 'every expression function has its row');
  const personalization = page('personalization');
  const missingHelpers = helperCatalog
    .map((h) => h.name)
    .filter((n) => !personalization.includes(`<code>${n}</code>`));
  assert.deepEqual(missingHelpers, [], 'every personalization function and helper has its row');
  for (const name of ['concat', 'each', 'fragment'])
    assert.ok(
      personalization.includes(`<code>${name}</code>`),
      `the personalization table has ${name}`,
    );
  const objects = page('objects');
  const missingKinds = ['journey', 'campaign', ...objectKinds.map((k) => k.kind)].filter(
    (k) => !new RegExp(`<h2 id="[^"]*"[^>]*>[^<]*\\(${k}\\)`).test(objects),
  );
  assert.deepEqual(missingKinds, [], 'every object kind has its section');
  for (const field of ['reentrance.waitSeconds', 'action.channel', 'code'])
    assert.ok(objects.includes(`<code>${field}</code>`), `the objects reference has ${field}`);
  const cli = page('cli');
  for (const href of [
    '/docs/reference/functions.html',
    '/docs/reference/personalization.html',
    '/docs/reference/objects.html',
  ])
    assert.ok(cli.includes(`href="${href}"`), `the sidebar links ${href}`);
});

test('every help link of the console opens a built page of the site, at a heading that exists', () => {
  const anchorsOf = (file: string): Set<string> =>
    new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] ?? ''));
  const broken: string[] = [];
  for (const [topic, { href }] of Object.entries(HELP)) {
    const [path = '', anchor] = href.split('#');
    assert.ok(path.startsWith(BASE), `${topic}: ${href} is under ${BASE}`);
    const rel = path.slice(BASE.length) || 'index.html';
    const file = join(DOCS_DIST, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!existsSync(file)) broken.push(`${topic}: ${href} (no page ${rel})`);
    else if (anchor && !anchorsOf(file).has(anchor))
      broken.push(`${topic}: ${href} (no #${anchor})`);
  }
  assert.deepEqual(broken, [], 'no help link is broken');
  assert.equal(helpTopicForPath('/objects/audiences'), 'audiences');
  assert.equal(helpTopicForPath('/journeys/purchase-journey'), 'journeyEditor');
  assert.equal(helpTopicForPath('/journeys/purchase-journey/report'), 'reports');
  assert.equal(helpTopicForPath('/admin/audit-log'), 'auditLog');
  assert.equal(helpTopicForPath('/somewhere-else'), 'console');
});

test('the API explorer page is built beside its Scalar bundle and the openapi.json copy, linked from the sidebar and the route table', () => {
  const dir = join(DOCS_DIST, 'reference');
  const page = readFileSync(join(dir, 'api-explorer.html'), 'utf8');
  assert.match(page, /<script src="\.\/scalar-standalone\.js"><\/script>/);
  assert.match(page, /<script src="\.\/api-explorer\.js"><\/script>/);
  assert.match(readFileSync(join(dir, 'api-explorer.js'), 'utf8'), /fetch\('\.\/openapi\.json'\)/);
  const copy = JSON.parse(readFileSync(join(dir, 'openapi.json'), 'utf8'));
  assert.equal(copy.openapi, '3.1.0');
  for (const route of ['/v1/events', '/v1/journeys'])
    assert.ok(copy.paths[route], `the openapi.json copy holds ${route}`);
  assert.ok(
    readFileSync(join(dir, 'scalar-standalone.js'), 'utf8').includes('createApiReference'),
    "Scalar's standalone bundle",
  );
  const cli = readFileSync(join(dir, 'cli.html'), 'utf8');
  assert.match(cli, /href="\/docs\/reference\/api-explorer\.html"[^>]*target="_self"/);
  assert.match(readFileSync(join(dir, 'api.html'), 'utf8'), /href="[^"]*api-explorer\.html"/);
});

test('waymark serve answers the built site at /docs, with no key, and its pages run only their own scripts', async () => {
  const app = createWaymark({ store: new SqliteStore(':memory:') });
  const server = await buildServer({ app, keys: [], logger: false });
  try {
    const get = (url: string) => server.inject({ method: 'GET', url });
    assert.equal((await get('/docs')).headers.location, '/docs/');
    const home = await get('/docs/');
    assert.equal(home.statusCode, 200);
    assert.ok(home.body.includes('Journey orchestration that runs on a laptop'), 'the home page');
    const csp = String(home.headers['content-security-policy']);
    assert.match(csp, /script-src 'self' 'sha256-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline'[^;]*;[^;]*style/, 'scripts are never unsafe-inline');
    const guide = await get('/docs/guides/on-call');
    assert.equal(guide.statusCode, 200, 'a clean URL answers its page');
    assert.ok(guide.body.includes('<title>On call | Waymark</title>'), 'the on-call guide');
    const asset = home.body.match(/src="(\/docs\/assets\/[^"]+\.js)"/)?.[1];
    assert.ok(asset, 'the page loads its script');
    const script = await get(asset);
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['cache-control']), /immutable/);
    const explorer = await get('/docs/reference/api-explorer.html');
    assert.equal(explorer.statusCode, 200, 'the API explorer');
    assert.equal(
      String(explorer.headers['content-security-policy']).includes("script-src 'self';"),
      true,
      'the explorer runs no inline script',
    );
    const copy = await get('/docs/reference/openapi.json');
    assert.equal(copy.statusCode, 200);
    assert.ok(copy.json().paths['/v1/events'], 'the openapi.json copy');
    const missing = await get('/docs/no-such-page');
    assert.equal(missing.statusCode, 404);
    assert.ok(missing.body.includes('<html'), "the site's own 404 page");
    for (const escape of ['/docs/%2e%2e/package.json', '/docs/..%2fpackage.json']) {
      const r = await get(escape);
      assert.ok(!r.body.includes('"name": "waymark"'), `${escape} never reads outside the site`);
    }
  } finally {
    await server.close();
    await app.close();
  }
});

// The interactive HTTP API reference: Scalar's standalone bundle renders the build-time copy of
// /openapi.json under the policy `waymark serve` gives /docs, with every request outside the server
// refused (offline). A screenshot at 1440 and 1024 px goes to test/ui/artifacts.
test('the API explorer renders the build-time openapi.json under the server policy, offline', async () => {
  const page = join(DOCS_DIST, 'reference', 'api-explorer.html');
  assert.ok(existsSync(page), `${page} is built (npm run docs)`);
  const copy = JSON.parse(readFileSync(join(DOCS_DIST, 'reference', 'openapi.json'), 'utf8'));
  assert.ok(copy.paths['/v1/events'], 'the copy is the server document');

  const app = createWaymark({ store: new SqliteStore(':memory:') });
  const server = await buildServer({ app, keys: [], logger: false });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await openBrowser();
  const outside: string[] = [];
  const problems: string[] = [];
  try {
    await browser.page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:'))
        return route.continue();
      outside.push(url);
      return route.abort();
    });
    browser.page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    browser.page.on('pageerror', (e) => problems.push(String(e)));
    const res = await browser.page.goto(`${origin}/docs/reference/api-explorer.html`);
    assert.equal(res?.status(), 200);
    assert.match(String(res?.headers()['content-security-policy']), /script-src 'self'/);
    // Scalar shows the document's title, then each tag's operations (the first tag: session).
    await browser.page.getByRole('heading', { name: 'Waymark API' }).waitFor({ timeout: 60_000 });
    await browser.page.getByText('/v1/session/sign-out-everywhere').first().waitFor();
    await browser.page.waitForTimeout(500);
    await browser.shotWide('docs-api-explorer', true);
    assert.deepEqual(outside, [], 'no request leaves the server');
    assert.deepEqual(problems, [], 'no error: nothing refused by the policy, nothing missing');
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
});
