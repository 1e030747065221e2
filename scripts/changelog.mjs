#!/usr/bin/env node
// Writes CHANGELOG.md from the commit messages: one section per version (the commits since the
// previous version's tag, `v<version>`; the current version until it is tagged is "unreleased"),
// the commits grouped by the area their subject names before the colon. Merges are left out: their
// commits are listed themselves. `npm run changelog` runs it; `--check` fails when the file is stale.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

function commits(range) {
  const out = git(
    'log',
    '--no-merges',
    '--format=%h%x09%ad%x09%s',
    '--date=short',
    ...(range ? [range] : []),
  );
  return out === ''
    ? []
    : out.split('\n').map((line) => {
        const [hash, date, ...subject] = line.split('\t');
        return { hash, date, subject: subject.join('\t') };
      });
}

/** "campaigns: send the winner" → campaigns; a subject without an area goes under "other". */
function areaOf(subject) {
  const m = /^([A-Za-z][\w ./()-]{0,30}):\s/.exec(subject);
  return m ? m[1].toLowerCase().replace(/\s+/g, ' ') : 'other';
}

function section(title, list) {
  if (list.length === 0) return '';
  const byArea = new Map();
  for (const c of list) {
    const area = areaOf(c.subject);
    if (!byArea.has(area)) byArea.set(area, []);
    byArea.get(area).push(c);
  }
  const dates = list.map((c) => c.date).sort();
  let md = `## ${title} (${dates[0]} to ${dates.at(-1)})\n\n`;
  for (const [area, cs] of [...byArea].sort(([a], [b]) => a.localeCompare(b))) {
    md += `### ${area}\n\n`;
    for (const c of cs) md += `- ${c.subject.replace(/^[^:]{1,31}:\s/, '')} (${c.hash})\n`;
    md += '\n';
  }
  return md;
}

export function changelog() {
  const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
  const tags = git('tag', '--list', 'v*', '--sort=-v:refname').split('\n').filter(Boolean);
  let md =
    '# Changelog\n\nWritten from the commit messages by `npm run changelog` (scripts/changelog.mjs): one section per version, the commits grouped by the area their subject names.\n\n';
  const current = tags.includes(`v${version}`) ? null : version;
  if (current) md += section(`${current} (unreleased)`, commits(tags[0] ? `${tags[0]}..HEAD` : ''));
  tags.forEach((tag, i) => {
    md += section(tag.slice(1), commits(tags[i + 1] ? `${tags[i + 1]}..${tag}` : tag));
  });
  return md;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(repo, 'CHANGELOG.md');
  const md = changelog();
  if (process.argv.includes('--check')) {
    const stale = !existsSync(file) || readFileSync(file, 'utf8') !== md;
    if (stale) {
      process.stderr.write('CHANGELOG.md is stale: run npm run changelog\n');
      process.exit(1);
    }
  } else writeFileSync(file, md);
}
