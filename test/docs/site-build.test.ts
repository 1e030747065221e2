// `npm run docs` builds the site again only when what it reads changed (scripts/build-docs.mjs): the
// site test's build is reused by the package test's `npm pack`, and a changed tree, packed, gets a
// fresh site. Here on a small site of files (no VitePress build): its stamp against each change.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  isSiteFresh,
  siteInputsHash,
  sitePaths,
  writeSiteStamp,
} from '../../scripts/build-docs.mjs';

/** A repository with a docs/ folder, a lock file and a VitePress package, its site "built". */
function builtSite() {
  const repo = mkdtempSync(join(tmpdir(), 'waymark-docs-stamp-'));
  const paths = sitePaths(join(repo, 'docs'));
  const write = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  write(join(repo, 'package-lock.json'), '{"lockfileVersion":3}');
  write(join(repo, 'node_modules', 'vitepress', 'package.json'), '{"version":"1.6.4"}');
  write(join(paths.docs, 'index.md'), '# Waymark');
  write(join(paths.docs, 'guides', 'a.md'), '# A');
  write(join(paths.docs, 'reference', 'cli.md'), '# CLI reference');
  write(join(paths.docs, 'public', 'reference', 'openapi.json'), '{}');
  write(join(paths.docs, '.vitepress', 'config.mts'), 'export default {};');
  const build = () => {
    rmSync(paths.dist, { recursive: true, force: true });
    write(join(paths.dist, 'index.html'), '<h1>Waymark</h1>');
    writeSiteStamp(paths, siteInputsHash(paths, repo));
  };
  build();
  const fresh = () => isSiteFresh(paths, siteInputsHash(paths, repo));
  return { repo, paths, write, build, fresh };
}

test('a site built from the same sources is fresh, its own output and cache aside', () => {
  const site = builtSite();
  try {
    assert.equal(site.fresh(), true, 'fresh after its build');
    site.write(join(site.paths.dist, 'assets', 'app.js'), 'built');
    site.write(join(site.paths.cache, 'deps', 'vue.js'), 'cached');
    assert.equal(site.fresh(), true, 'the built site and the cache are not sources');
  } finally {
    rmSync(site.repo, { recursive: true, force: true });
  }
});

test('any change to what the build reads makes the site stale until it is built again', () => {
  const site = builtSite();
  const { docs } = site.paths;
  const changes: [string, () => void][] = [
    ['a page edited', () => site.write(join(docs, 'guides', 'a.md'), '# A, edited')],
    ['a page added', () => site.write(join(docs, 'guides', 'b.md'), '# B')],
    [
      'a page renamed',
      () => {
        rmSync(join(docs, 'guides', 'b.md'));
        site.write(join(docs, 'guides', 'c.md'), '# B');
      },
    ],
    ['a page removed', () => rmSync(join(docs, 'guides', 'c.md'))],
    [
      'a generated reference page changed',
      () => site.write(join(docs, 'reference', 'cli.md'), '# CLI reference\n\n## waymark new'),
    ],
    [
      'a public file changed',
      () => site.write(join(docs, 'public', 'reference', 'openapi.json'), '{"paths":{}}'),
    ],
    [
      'the configuration changed',
      () => site.write(join(docs, '.vitepress', 'config.mts'), 'export default { title: "W" };'),
    ],
    [
      'another VitePress',
      () =>
        site.write(
          join(site.repo, 'node_modules', 'vitepress', 'package.json'),
          '{"version":"1.7.0"}',
        ),
    ],
    [
      'another lock file',
      () => site.write(join(site.repo, 'package-lock.json'), '{"lockfileVersion":3,"x":1}'),
    ],
    [
      'the site rebuilt by another command',
      () =>
        utimesSync(join(site.paths.dist, 'index.html'), new Date(), new Date(Date.now() + 5000)),
    ],
    ['the built site removed', () => rmSync(site.paths.dist, { recursive: true })],
    ['the stamp unreadable', () => site.write(site.paths.stamp, '{')],
  ];
  try {
    for (const [what, change] of changes) {
      change();
      assert.equal(site.fresh(), false, `${what}: stale`);
      site.build();
      assert.equal(site.fresh(), true, `${what}: fresh once built again`);
    }
  } finally {
    rmSync(site.repo, { recursive: true, force: true });
  }
});
