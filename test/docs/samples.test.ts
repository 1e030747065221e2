// The code samples of the documentation run as written against a real `waymark serve --demo`: every
// fenced block marked `checked` (CONTRIBUTING.md, "Checked code samples") exits 0, its curl calls
// answer 2xx (curl runs with --fail-with-body), and its output holds each expect="…" text. Blocks
// of a page run in page order, in one working folder where `bin`, `examples` and `.waymark` are the
// checkout's and the server's, as in a clone after `npm start`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/package-files.ts';
import { docSamples, sampleScript, samplesOf } from '../support/doc-samples.ts';
import { freePort, spawnServer } from '../support/process.ts';

const DOCS = join(PACKAGE_ROOT, 'docs');

test('checked samples are the fenced blocks whose info string says checked, with their expected output', () => {
  const page = [
    '# Page',
    '',
    '```sh checked expect="Hello Ana" expect=\'done\'',
    'echo Hello Ana; echo done',
    '```',
    '',
    '```sh',
    'not checked',
    '```',
    '',
    '```json checkedness',
    '{}',
    '```',
  ].join('\n');
  const samples = samplesOf(page, 'page.md');
  assert.deepEqual(samples, [
    {
      page: 'page.md',
      line: 3,
      lang: 'sh',
      code: 'echo Hello Ana; echo done\n',
      expect: ['Hello Ana', 'done'],
    },
  ]);
  const script = sampleScript(
    { ...samples[0]!, code: 'curl -s localhost:4600/healthz\n' },
    '/repo',
    4711,
  );
  assert.match(script, /curl -s 127\.0\.0\.1:4711\/healthz/);
  assert.match(script, /--fail-with-body/);
});

test('every checked sample of docs/ runs against a demo server', async () => {
  const samples = docSamples(DOCS);
  assert.ok(samples.length >= 10, `the docs have their checked samples (${samples.length})`);
  const data = mkdtempSync(join(tmpdir(), 'waymark-doc-samples-data-'));
  const work = mkdtempSync(join(tmpdir(), 'waymark-doc-samples-'));
  const port = await freePort();
  const server = await (
    await spawnServer(['--demo', '--smtp-port', '0', '--loyalty-port', '0'], data, port)
  ).ready(120_000);
  try {
    for (const name of ['bin', 'examples']) symlinkSync(join(PACKAGE_ROOT, name), join(work, name));
    symlinkSync(data, join(work, '.waymark'));
    const failures: string[] = [];
    for (const sample of samples) {
      const where = `docs/${sample.page}:${sample.line}`;
      const cwd = join(work, sample.page.replace(/[/.]/g, '_'));
      mkdirSync(cwd, { recursive: true });
      for (const name of ['bin', 'examples', '.waymark'])
        spawnSync('ln', ['-sfn', join(work, name), join(cwd, name)]);
      const r = spawnSync('bash', ['-c', sampleScript(sample, PACKAGE_ROOT, port)], {
        cwd,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          WAYMARK_URL: server.url,
          WAYMARK_API_KEY: server.key,
          WAYMARK_LOG_LEVEL: 'warn',
        },
      });
      const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
      if (r.status !== 0) {
        failures.push(`${where} exited ${r.status ?? r.signal}:\n${sample.code}\n${output}`);
        continue;
      }
      for (const text of sample.expect)
        if (!output.includes(text))
          failures.push(`${where}: the output does not hold "${text}":\n${output}`);
    }
    assert.deepEqual(failures, [], 'every checked sample runs');
  } finally {
    await server.kill();
    rmSync(work, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});
