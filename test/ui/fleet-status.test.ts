// The Fleet section of System status, on `waymark serve --demo`: the one embedded engine owns all
// 256 partitions (one colour in the 16 x 16 map, "this engine" in the legend and the table), and
// nothing lags. Then the page as an operator of a three-engine fleet sees it mid-failover: this
// server has no fleet to show, so the browser is given one answer of GET /v1/status/fleet in the
// shape the fleet mode sends (a killed engine's partitions partly taken over, the rest in handoff, a
// new engine just joined, one partition lagging), held to the route's answer schema.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fleetViewSchema } from '../../src/isomorphic/api/status.ts';
import type { Browser } from './support/browser.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

let server: Running;
let browser: Browser;
const errors: string[] = [];

before(async () => {
  ({ server, browser } = await openConsole({ errors, width: 1440 }));
});
after(() => closeConsole({ server, browser }, 'fleet-status-last'));

test('one engine owns every partition: one colour, this engine in the legend, nothing lagging', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/system`);
  const fleet = page.getByTestId('fleet');
  await fleet.getByRole('heading', { name: 'Fleet' }).waitFor();
  assert.match(
    await page.getByTestId('fleet-summary').innerText(),
    /^One engine runs everything and owns all 256 partitions/,
  );
  assert.equal(await page.getByTestId('fleet-engines').innerText(), '1');
  assert.equal(await page.getByTestId('fleet-lagging').innerText(), '0');
  const cells = page.getByTestId('fleet-grid').locator('.fleet-cell');
  assert.equal(await cells.count(), 256);
  const owners = await cells.evaluateAll((els) => [
    ...new Set(
      els.map((e) => `${e.getAttribute('data-owner')} ${getComputedStyle(e).backgroundColor}`),
    ),
  ]);
  assert.equal(owners.length, 1, `one owner, one colour: ${owners.join(' | ')}`);
  const { width, height } = await page.getByTestId('fleet-grid').evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { width: r.width, height: r.height };
  });
  assert.ok(
    width < 400 && Math.abs(width - height) < 4,
    `a compact square map (${width} x ${height})`,
  );
  const legend = page.getByRole('list', { name: 'Legend' });
  assert.match(await legend.innerText(), /this engine\s+256/);
  const byOwner = page.getByRole('table', { name: 'Partitions by owner' });
  assert.match(await byOwner.innerText(), /256\s+0–255/);
  assert.equal(await page.getByRole('table', { name: 'Engines' }).locator('tbody tr').count(), 1);
  assert.equal(
    await cells
      .first()
      .getAttribute('title')
      .then((t) => /^Partition 0: \S+\. no timer due; 0 in the outbox$/.test(t ?? '')),
    true,
  );
  await browser.shotWide('fleet-status-single', true);
  assert.deepEqual(errors, []);
});

test('a fleet mid-failover: partitions coloured per engine, those in handoff hatched, the lagging one marked', async () => {
  const { page } = browser;
  const now = Date.now();
  // Three engines held 0–85, 86–170 and 171–255; the third was killed: the first took 171–212 over, 213–255 wait (in handoff).
  const owner = (p: number): string | null =>
    p <= 85 || (p >= 171 && p <= 212)
      ? 'waymark-1.prod-7f9c2d1e'
      : p <= 170
        ? 'waymark-2.prod-0b3a5c77'
        : null;
  const partitions = Array.from({ length: 256 }, (_, p) => ({
    partition: p,
    owner: owner(p),
    leaseExpiresAt: owner(p) === null ? null : new Date(now + 4000).toISOString(),
    timersDue: p === 42 ? 1_250 : owner(p) === null ? 3 : p % 7 === 0 ? 1 : 0,
    timersLagMs: p === 42 ? 48_000 : owner(p) === null ? 6_500 : p % 7 === 0 ? 120 : 0,
    outboxPending: p === 42 ? 310 : p % 11 === 0 ? 2 : 0,
  }));
  const engines = [
    {
      id: 'waymark-1.prod-7f9c2d1e',
      host: 'waymark-1.prod',
      pid: 41,
      partitions: partitions.filter((p) => p.owner === 'waymark-1.prod-7f9c2d1e').length,
    },
    {
      id: 'waymark-2.prod-0b3a5c77',
      host: 'waymark-2.prod',
      pid: 38,
      partitions: partitions.filter((p) => p.owner === 'waymark-2.prod-0b3a5c77').length,
    },
    { id: 'waymark-4.prod-c41d9e02', host: 'waymark-4.prod', pid: 52, partitions: 0 },
  ].map((e) => ({
    ...e,
    startedAt: new Date(now - 3_600_000).toISOString(),
    heartbeatAt: new Date(now - 700).toISOString(),
  }));
  const unowned = partitions.filter((p) => p.owner === null).length;
  const view = {
    mode: 'fleet',
    partitionCount: 256,
    self: 'waymark-1.prod-7f9c2d1e',
    laggingAfterMs: 10_000,
    engines,
    partitions,
    totals: {
      timersDue: partitions.reduce((s, p) => s + p.timersDue, 0),
      timersLagMs: 48_000,
      outboxPending: partitions.reduce((s, p) => s + p.outboxPending, 0),
      unowned,
      lagging: 1,
    },
  };
  // The answer given is one the route could send: it parses with the schema the page's type comes from.
  fleetViewSchema.parse(view);
  await page.route('**/v1/status/fleet', (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(view) }),
  );
  await page.goto(`${server.url}/system`);
  await page
    .getByTestId('fleet-summary')
    .filter({ hasText: '3 engines share 256 partitions' })
    .waitFor();
  assert.match(
    await page.getByTestId('fleet-summary').innerText(),
    new RegExp(`${unowned} in handoff`),
  );
  assert.equal(await page.getByTestId('fleet-lagging').innerText(), '1');
  assert.equal(await page.getByTestId('fleet-timers-lag').innerText(), '48 s');
  const cells = page.getByTestId('fleet-grid').locator('.fleet-cell');
  const colours = await cells.evaluateAll(
    (els) =>
      new Set(
        els
          .filter((e) => !e.classList.contains('unowned'))
          .map((e) => getComputedStyle(e).backgroundColor),
      ).size,
  );
  assert.equal(
    colours,
    2,
    'a colour per engine holding partitions (the one just joined holds none yet)',
  );
  assert.equal(
    await page.getByTestId('fleet-grid').locator('.fleet-cell.unowned').count(),
    unowned,
  );
  const lagging = page.getByTestId('fleet-grid').locator('.fleet-cell.lagging');
  assert.equal(await lagging.count(), 1);
  assert.equal(await lagging.getAttribute('data-partition'), '42');
  assert.match(
    (await lagging.getAttribute('title')) ?? '',
    /^Partition 42: waymark-1\.prod-7f9c2d1e\. 1,250 timers due, oldest 48 s late; 310 in the outbox\. Lagging\.$/,
  );
  const rows = page.getByRole('table', { name: 'Partitions by owner' }).locator('tbody tr');
  assert.equal(
    await rows.count(),
    3,
    'the engines holding partitions, and the partitions in handoff',
  );
  assert.match(
    await rows.first().innerText(),
    /^waymark-1\.prod-7f9c2d1e\s+128 0–85, 171–212\s+1,2\d\d\s+48 s/,
  );
  assert.match(await rows.last().innerText(), /^in handoff\s+43 213–255/);
  await browser.shotWide('fleet-status-fleet', true);
  await page.getByRole('table', { name: 'Engines' }).scrollIntoViewIfNeeded();
  await browser.shotWide('fleet-status-fleet-engines', true);
  await page.unroute('**/v1/status/fleet');
  assert.deepEqual(errors, []);
});
