// The Assistant's evaluation set (eval-set.json), in no-model mode on the Luma demo after a few
// hundred events: each question through POST /v1/assistant/chat, the score printed; at least 90%.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { demoTraffic } from './demo-traffic.ts';

interface EvalCase {
  readonly question: string;
  readonly answer?: readonly string[];
  readonly citation?: string;
}

const set = JSON.parse(readFileSync(new URL('./eval-set.json', import.meta.url), 'utf8')) as {
  cases: EvalCase[];
};

let w: ApiWorld;
before(async () => {
  w = await apiWorld();
  await demoTraffic(w);
});
after(() => w.close());

test('the evaluation set scores at least 90% without a model', async () => {
  const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
  assert.equal(report.status, 200);
  const activities = report.body.versions.flatMap(
    (v: { activities: Array<{ errors: number; timeouts: number }> }) => v.activities,
  );
  const sum = (k: 'errors' | 'timeouts') =>
    report.body.total[k] +
    activities.reduce((s: number, a: Record<string, number>) => s + a[k]!, 0);
  const list = await w.request('GET', '/v1/journeys?include=counts');
  const figures: Record<string, number> = {
    entered: report.body.total.entered,
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    active: list.body.items.reduce(
      (s: number, j: { counts: { active: number } }) => s + j.counts.active,
      0,
    ),
  };
  assert.ok(figures['entered']! >= 100, `traffic entered the journey: ${JSON.stringify(figures)}`);
  assert.ok(figures['timeouts']! > 0, 'some shoppers timed out');

  const failures: string[] = [];
  for (const c of set.cases) {
    const r = await w.request('POST', '/v1/assistant/chat', {
      messages: [{ role: 'user', content: c.question }],
    });
    assert.equal(r.status, 200, `${c.question}: ${JSON.stringify(r.body)}`);
    const answer: string = r.body.answer;
    const hrefs: string[] = r.body.citations.map((x: { href: string }) => x.href);
    const missing = (c.answer ?? [])
      .map((s) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(figures[k])))
      .filter((s) => !answer.includes(s));
    const cited = c.citation === undefined || hrefs.some((h) => h.includes(c.citation!));
    if (missing.length > 0 || !cited)
      failures.push(
        `✗ ${c.question}\n    missing: ${JSON.stringify(missing)}; cited: ${JSON.stringify(hrefs)} (wanted ${c.citation ?? '-'})`,
      );
  }
  const score = (set.cases.length - failures.length) / set.cases.length;
  console.log(
    `assistant evaluation (no model): ${set.cases.length - failures.length}/${set.cases.length} = ${(100 * score).toFixed(1)}%`,
  );
  for (const f of failures) console.log(f);
  assert.equal(set.cases.length, 42);
  assert.ok(score >= 0.9, `score ${(100 * score).toFixed(1)}% is under 90%`);
});

test('no-model answers say so, and the test-mode question cites the docs', async () => {
  const r = await w.request('POST', '/v1/assistant/chat', {
    messages: [{ role: 'user', content: 'How do I test a journey before publishing it?' }],
  });
  assert.match(r.body.answer, /without a model/);
  assert.ok(
    r.body.citations.some((c: { href: string }) =>
      c.href.startsWith('/docs/concepts/journeys.html#'),
    ),
  );
  const d = await w.request('POST', '/v1/assistant/chat', {
    messages: [
      { role: 'user', content: 'Which journey is the most used, and how is it performing?' },
    ],
  });
  assert.match(d.body.answer, /without a model/);
  assert.ok(Array.isArray(d.body.data) && d.body.data[0].points.length > 0, 'a chart series');
});
