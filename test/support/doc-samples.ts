// The code samples of docs/ that a test runs: fenced blocks whose info string holds the word
// `checked` (```sh checked, and optionally expect="text the output must hold", or in single quotes). See
// CONTRIBUTING.md, "Checked code samples".
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DocSample {
  /** The page, relative to docs/. */
  readonly page: string;
  /** The line of the opening fence (1-based). */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** Texts the sample's output (stdout and stderr) must hold. */
  readonly expect: readonly string[];
}

const FENCE = /^```(\w+)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
const EXPECT = /expect=(?:"([^"]*)"|'([^']*)')/g;

/** The checked samples of one Markdown page, in page order. */
export function samplesOf(markdown: string, page: string): DocSample[] {
  const out: DocSample[] = [];
  for (const m of markdown.matchAll(FENCE)) {
    const [, lang = '', info = '', code = ''] = m;
    if (!/(^|\s)checked(\s|$)/.test(info)) continue;
    out.push({
      page,
      line: markdown.slice(0, m.index).split('\n').length,
      lang,
      code,
      expect: [...info.matchAll(EXPECT)].map((e) => e[1] ?? e[2] ?? ''),
    });
  }
  return out;
}

/** Every checked sample under `docsRoot` (generated and build folders left out), page by page. */
export function docSamples(docsRoot: string): DocSample[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'public' || e.name === 'node_modules') continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.md')) pages.push(path);
    }
  };
  walk(docsRoot);
  return pages.sort().flatMap((p) => samplesOf(readFileSync(p, 'utf8'), relative(docsRoot, p)));
}

/**
 * The script a sample runs as: bash that stops at the first failing command, `curl` failing on an
 * HTTP error status, `waymark` the checkout's CLI, and the documented port 4600 replaced by the
 * test server's.
 */
export function sampleScript(sample: DocSample, repo: string, port: number): string {
  const code = sample.code.replace(/\b(localhost|127\.0\.0\.1):4600\b/g, `127.0.0.1:${port}`);
  return [
    'set -eo pipefail',
    'shopt -s expand_aliases',
    `alias waymark=${JSON.stringify(`node ${join(repo, 'bin', 'waymark.js')}`)}`,
    'curl() { command curl --fail-with-body --show-error "$@"; }',
    code,
  ].join('\n');
}
