#!/usr/bin/env node
// Builds the documentation site (docs/ -> docs/.vitepress/dist) with VitePress, the second half of
// `npm run docs` (the first, scripts/docs-reference.mjs, writes the generated reference pages).
// The build is skipped when the site in dist/ was built from the same sources: a stamp in
// docs/.vitepress/cache/ holds a hash of every file under docs/ (the generated pages included, the
// built site and the cache left out), of VitePress's version and of package-lock.json, beside the
// size and time of the dist/index.html that build wrote. In `npm test` the site test builds the
// site and the package test's `npm pack` (prepack: `npm run docs`) reuses it: about 15 s of CPU.
// Any change under docs/, a reference page that comes out different, another VitePress or a site
// rebuilt by another command makes it build again. `--force` always builds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The folders of a site: its sources, what VitePress builds, and where the stamp is kept. */
export function sitePaths(docs = join(REPO, 'docs')) {
  return {
    docs,
    dist: join(docs, '.vitepress', 'dist'),
    cache: join(docs, '.vitepress', 'cache'),
    stamp: join(docs, '.vitepress', 'cache', 'site-build.json'),
  };
}

function files(dir, skip, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip.includes(path)) continue;
    if (entry.isDirectory()) files(path, skip, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * A hash of what a build of the site reads: every file under docs/ but the built site and the cache
 * (path and content), VitePress's version and package-lock.json (the theme's dependencies).
 */
export function siteInputsHash(paths = sitePaths(), repo = REPO) {
  const hash = createHash('sha256');
  for (const file of files(paths.docs, [paths.dist, paths.cache]).sort()) {
    hash.update(`file ${relative(paths.docs, file).split(sep).join('/')}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  for (const file of [
    join(repo, 'node_modules', 'vitepress', 'package.json'),
    join(repo, 'package-lock.json'),
  ]) {
    hash.update(`dependency ${relative(repo, file)}\0`);
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** What identifies the built site: its index page's size and time (a new build writes it anew). */
function builtSite(paths) {
  const index = join(paths.dist, 'index.html');
  if (!existsSync(index)) return null;
  const st = statSync(index);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

/** Whether the site in dist/ was built by this script from sources that hash to `inputs`. */
export function isSiteFresh(paths = sitePaths(), inputs = siteInputsHash(paths)) {
  const built = builtSite(paths);
  if (!built || !existsSync(paths.stamp)) return false;
  try {
    const stamp = JSON.parse(readFileSync(paths.stamp, 'utf8'));
    return (
      stamp.inputs === inputs &&
      stamp.index?.size === built.size &&
      stamp.index?.mtimeMs === built.mtimeMs
    );
  } catch {
    return false;
  }
}

/** Notes that the site now in dist/ was built from sources that hash to `inputs`. */
export function writeSiteStamp(paths, inputs) {
  const built = builtSite(paths);
  if (!built) throw new Error(`${paths.dist} has no index.html after the build`);
  mkdirSync(paths.cache, { recursive: true });
  writeFileSync(paths.stamp, JSON.stringify({ inputs, index: built }) + '\n');
}

async function main() {
  const paths = sitePaths();
  const inputs = siteInputsHash(paths);
  if (!process.argv.includes('--force') && isSiteFresh(paths, inputs)) {
    process.stdout.write(
      `docs/.vitepress/dist is up to date with docs/ (${relative(REPO, paths.stamp)}): not rebuilt\n`,
    );
    return;
  }
  const { build } = await import('vitepress');
  await build(paths.docs);
  writeSiteStamp(paths, inputs);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
