// The benchmark suite at smoke size: every section runs and the report has the documented shape.
// Nothing here asserts a speed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerBenchCommand } from '../../src/cli/commands/bench.ts';
import { runSuite, smokeOptions, type SuiteReport } from '../../bench/suite.ts';
import { formatTable } from '../../bench/table.ts';

function checkFigure(f: Record<string, unknown>): void {
  assert.equal(typeof f.name, 'string');
  assert.ok(f.value === null || typeof f.value === 'number', `${String(f.name)}: value`);
  assert.equal(typeof f.unit, 'string');
  assert.ok(
    'baseline' in f && 'ratio' in f,
    `${String(f.name)}: baseline and ratio are always present`,
  );
  const b = f.baseline as Record<string, unknown> | null;
  if (b !== null) {
    assert.equal(typeof b.name, 'string');
    assert.ok(
      b.value === null ? typeof b.skipped === 'string' : typeof b.value === 'number',
      `${String(f.name)}: a baseline is measured or says why it was skipped`,
    );
    assert.equal(f.ratio, b.value === null || f.value === null ? null : f.ratio);
  }
  // A target this machine cannot reach is reported with its measured ceiling instead of a verdict.
  if (f.targets !== undefined && f.notReachable === undefined)
    assert.equal(typeof f.met, 'boolean');
  if (f.notReachable !== undefined) assert.equal(f.met, undefined);
}

describe('benchmark suite (smoke size)', () => {
  test('every section reports figures with name, value, unit, baseline and ratio', async () => {
    const report: SuiteReport = await runSuite({ ...smokeOptions, bullmq: true });
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    assert.equal(typeof json.startedAt, 'string');
    assert.equal((json.machine as { cpus: number }).cpus > 0, true);
    const figures = json.figures as Array<Record<string, unknown>>;
    for (const f of figures) checkFigure(f);
    const names = new Set(figures.map((f) => f.name));
    for (const n of [
      'journey.ingest.throughput',
      'journey.ingest.cold.throughput',
      'journey.e2e.throughput',
      'latency.p50',
      'latency.p99',
      'latency.cold.p99',
      'timers.burst.fired',
      'timers.spread.lateness.p99',
      'memory.rss.inFlight',
      'memory.rss.fill',
      'startup.serve.ready',
      'audience.batch.store.firstRun',
      'audience.batch.store.rerun',
      'audience.streaming.eventToMembership.p99',
      'postgres.ingest.throughput',
      'postgres.ingest.cold.throughput',
      'postgres.ingest.saturated',
      'postgres.timers.burst.fired',
      'crash.events',
      'crash.kills',
      'crash.duplicates.wire',
      'crash.duplicates.flaggedResends',
      'crash.lost',
      'crash.seconds',
      'postgres.crash.events',
      'postgres.crash.lost',
    ]) {
      assert.ok(names.has(n), `missing ${n}`);
    }
    for (const n of [
      'crash.lost',
      'crash.duplicates.outsideWindow',
      'crash.invariantsBroken',
      'postgres.crash.lost',
      'postgres.crash.invariantsBroken',
    ]) {
      assert.equal(
        figures.find((f) => f.name === n)?.met,
        true,
        `${n}: the crash-safety run at smoke size keeps its rules`,
      );
    }
    const tp = figures.find((f) => f.name === 'journey.ingest.throughput')!;
    assert.equal(
      typeof (tp.baseline as { value: unknown }).value,
      'number',
      'the raw SQLite baseline always runs',
    );
    const timers = figures.find((f) => f.name === 'timers.burst.fired')!;
    assert.ok((timers.baseline as { name: string }).name.includes('BullMQ'));
    const table = formatTable(report);
    assert.match(table, /journey\.ingest\.throughput/);
    assert.match(table, /figure\s+value\s+baseline\s+ratio\s+target/);
  });

  test('waymark bench writes the JSON report to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-test-'));
    try {
      const out = join(dir, 'report.json');
      const program = new Command('waymark').exitOverride();
      let printed = '';
      registerBenchCommand(program, {
        out: (text) => {
          printed += text;
        },
        progress: () => undefined,
      });
      await program.parseAsync(['bench', '--smoke', '--only', 'throughput,expr', '--out', out], {
        from: 'user',
      });
      const report = JSON.parse(readFileSync(out, 'utf8')) as SuiteReport;
      assert.deepEqual(
        [...new Set(report.figures.map((f) => f.name.split('.')[0]))].sort(),
        report.skipped.some((s) => s.section === 'expr') ? ['journey'] : ['expr', 'journey'],
      );
      assert.match(printed, /journey\.ingest\.throughput/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
