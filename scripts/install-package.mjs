#!/usr/bin/env node
// Installs a Waymark package (the tarball `npm pack` makes) into a folder as a user or the container
// image does: production dependencies only, and better-sqlite3's install script allowed (npm 11
// blocks dependencies' install scripts unless the project's package.json allows them).
// Usage: node scripts/install-package.mjs <waymark-x.y.z.tgz> <folder>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * `opts.env`: more environment for npm and the install scripts (the package test hands
 * better-sqlite3 a local prebuild this way).
 */
export function installPackage(tarball, folder, opts = {}) {
  const from = resolve(tarball);
  if (!existsSync(from)) throw new Error(`install-package: no tarball at ${from}`);
  mkdirSync(folder, { recursive: true });
  const manifest = resolve(folder, 'package.json');
  if (!existsSync(manifest))
    writeFileSync(
      manifest,
      `${JSON.stringify({ name: 'waymark-install', private: true, allowScripts: { 'better-sqlite3': true } }, null, 2)}\n`,
    );
  execFileSync(
    'npm',
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', from],
    { cwd: folder, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...opts.env } },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [tarball, folder] = process.argv.slice(2);
  if (!tarball || !folder) {
    process.stderr.write('usage: node scripts/install-package.mjs <waymark-x.y.z.tgz> <folder>\n');
    process.exit(2);
  }
  installPackage(tarball, folder);
}
