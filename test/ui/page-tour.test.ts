// The console at the two widths a marketer works at (1440 and 1024 px), two parts on one
// `waymark serve --demo` and one Chromium (a server and a browser started for each part cost about
// 14 s of CPU each time): every page, then the canvas. The tour only reads; the canvas part works
// on copies of the demo's Purchase Journey of its own.
//
// Every console page at the two widths a marketer works at (1440 and 1024 px): each names itself in
// the tab's title, shows its heading, has no horizontal scroll of the whole page and throws no
// script error. The screenshots land in test/ui/artifacts/tour-<width>-<page>.png to be looked at.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBrowser, signIn, type Browser } from './support/browser.ts';
import { inside, node, select, settled, type Box } from './support/canvas.ts';
import { GENERIC_OBJECT_KINDS } from './support/console.ts';
import { startWaymark, type Running } from './support/server.ts';

let server: Running;
let browser: Browser;
const errors: string[] = [];
before(async () => {
  server = await startWaymark();
  browser = await openBrowser();
  browser.page.on('pageerror', (e) => errors.push(e.message));
  await signIn(browser.page, server.url, server.key);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The pages of the console, with one opened object of each kind: [file name, path]. */
async function pages(): Promise<Array<[string, string]>> {
  // Some kinds have only built-in objects in the demo (the standard identity namespaces): their list only.
  const first = async (route: string): Promise<string | null> => {
    const r = await server.api('GET', `/v1/${route}`);
    const key = r.items?.[0]?.key as string | undefined;
    return key ? `/objects/${route}/${encodeURIComponent(key)}` : null;
  };
  const list: Array<[string, string]> = [
    ['journeys', '/journeys'],
    ['journey-editor', '/journeys/purchase-journey'],
    ['journey-report', '/journeys/purchase-journey/report'],
    ['reports', '/reports'],
    ['profiles', '/profiles'],
    ['packages', '/packages'],
    ['inbox', '/inbox'],
    ['dead-letters', '/dead-letters'],
    ['suppressions', '/suppressions'],
    ['translation-projects', '/translation-projects'],
    ['system', '/system'],
  ];
  for (const route of GENERIC_OBJECT_KINDS) {
    list.push([`${route}-list`, `/objects/${route}`]);
    const detail = await first(route);
    if (detail) list.push([route, detail]);
  }
  return list;
}

for (const width of [1440, 1024]) {
  test(`every page reads well at ${width} px`, async () => {
    const { page } = browser;
    await page.setViewportSize({ width, height: 900 });
    const problems: string[] = [];
    for (const [name, path] of await pages()) {
      errors.length = 0;
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const title = await page.title();
      if (!/ · Waymark$/.test(title))
        problems.push(`${path}: the title "${title}" does not name the page`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 1) problems.push(`${path}: the page scrolls sideways by ${overflow} px`);
      if (errors.length) problems.push(`${path}: script errors: ${errors.join('; ')}`);
      await page.screenshot({ path: join(ARTIFACTS, `tour-${width}-${name}.png`) });
    }
    assert.deepEqual(problems, []);
  });
}

// The canvas is readable at 1024 and 1440 px: after auto-layout the lab's 8 activities all fit the
// canvas at a readable zoom, no label overflows its activity, no path label covers an activity's
// text, and at 1024 px the canvas keeps at least 600 px beside the side panel. With the palette and
// the side panel open the lab is wider than the canvas: an activity added after its last one is
// shown at the readable zoom with the path leading to it, and a "Journey start" button brings the
// start back. Screenshots of the editor, the journeys list and the reports at both widths go to
// test/ui/artifacts.
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;
async function checkReadable(page: Page, width: number): Promise<void> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  assert.ok(canvas.width >= 600, `the canvas is ${canvas.width} px wide at ${width} px`);
  const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const zoom = Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? '1');
  assert.ok(zoom >= 0.69, `zoom ${zoom} at ${width} px`);
  const nodes = page.locator('.activity');
  assert.equal(await nodes.count(), 8);
  const texts: Box[] = [];
  for (let i = 0; i < 8; i++) {
    const n = nodes.nth(i);
    const box = (await n.boundingBox())!;
    assert.ok(inside(box, canvas), `activity ${i} is outside the canvas at ${width} px`);
    for (const part of ['.activity-label', '.activity-kind']) {
      const t = (await n.locator(part).boundingBox())!;
      assert.ok(
        inside(t, box),
        `${await n.locator(part).innerText()} overflows its activity at ${width} px`,
      );
      const [scroll, client] = await n
        .locator(part)
        .evaluate((e: { scrollWidth: number; clientWidth: number }) => [
          e.scrollWidth,
          e.clientWidth,
        ]);
      assert.ok(
        scroll! <= client! + 1,
        `${await n.locator(part).innerText()} is cut at ${width} px (${scroll} > ${client})`,
      );
      texts.push(t);
    }
    // Words are not cut: every line break falls between the label's pieces.
    const label = await n.locator('.activity-label').innerText();
    assert.doesNotMatch(label, /[a-z]\n[a-z]/, `a word of "${label}" is broken across lines`);
  }
  // Path names: on the drawn paths (edge labels), or beside a handle with no path yet.
  const pathNames = await page.locator('.react-flow__edge-textwrapper').allTextContents();
  for (const name of ['Timeout', 'Push', 'Others'])
    assert.ok(pathNames.includes(name), `the path name ${name} is shown (${pathNames.join(', ')})`);
  const handleLabels = page.locator('.handle-label, .react-flow__edge-textwrapper');
  for (let i = 0; i < (await handleLabels.count()); i++) {
    const h = (await handleLabels.nth(i).boundingBox())!;
    for (const t of texts)
      assert.ok(
        !overlaps(h, t),
        `the path label "${await handleLabels.nth(i).textContent()}" covers an activity's text at ${width} px`,
      );
    for (let j = 0; j < 8; j++)
      assert.ok(
        !overlaps(h, (await nodes.nth(j).boundingBox())!),
        `the path label "${await handleLabels.nth(i).textContent()}" lies on an activity at ${width} px`,
      );
  }
}

describe('the canvas at 1024 and 1440 px', () => {
  before(async () => {
    const demo = await server.api('GET', '/v1/journeys/purchase-journey');
    await server.api('POST', '/v1/journeys', {
      ...demo.latest.definition,
      id: 'layout-lab',
      name: 'Lab layout',
    });
  });

  for (const [width, height] of [
    [1440, 900],
    [1024, 768],
  ] as const) {
    test(`at ${width} px: auto-layout fits the lab readably, labels stay inside, path labels clear of text`, async () => {
      const { page } = browser;
      await page.setViewportSize({ width, height });
      await page.goto(`${server.url}/journeys`);
      await page
        .getByRole('table', { name: 'Journeys' })
        .getByRole('link', { name: 'Purchase Journey' })
        .waitFor();
      await browser.shot(`layout-${width}-journeys`);
      await page.goto(`${server.url}/reports`);
      await page
        .getByRole('table', { name: 'Reports' })
        .getByRole('link', { name: 'Purchase Journey' })
        .waitFor();
      await browser.shot(`layout-${width}-reports`);
      await page.goto(`${server.url}/journeys/purchase-journey`);
      await node(page, 'checkout').waitFor();
      await settled(page);
      await browser.shot(`layout-${width}-purchase-journey`);

      await page.goto(`${server.url}/journeys/layout-lab`);
      await node(page, 'checkout').waitFor();
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^Saved$/ })
        .waitFor();
      await settled(page);
      await checkReadable(page, width);
      await browser.shot(`layout-${width}-editor`);
      // With an activity selected the side panel shows its settings and the canvas keeps its room.
      await select(page, 'purchase');
      await page.getByLabel('Timeout amount').waitFor();
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      assert.ok(
        canvas.width >= 600,
        `the canvas is ${canvas.width} px wide with the side panel at ${width} px`,
      );
      assert.match(
        await node(page, 'purchase').locator('.activity-kind').innerText(),
        /timeout 1 minute/,
      );
      await browser.shot(`layout-${width}-editor-selected`);
      await page.goto(`${server.url}/journeys/purchase-journey/report`);
      await page.getByTestId('kpi-entered').waitFor();
      assert.match(await page.title(), /Purchase Journey report · Reports · Waymark/);
      await browser.shot(`layout-${width}-report`);
    });

    test(`at ${width} px: an activity added to the wide lab is shown with the path from its start`, async () => {
      const { page } = browser;
      await page.setViewportSize({ width, height });
      const demo = (await server.api('GET', '/v1/journeys/purchase-journey')).latest.definition;
      await server.api('POST', '/v1/journeys', { ...demo, id: `wide-${width}`, name: 'Wide lab' });
      await page.goto(`${server.url}/journeys/wide-${width}`);
      await node(page, 'checkout').waitFor();
      await settled(page);
      const open = page.getByTitle('Show the activities');
      if (await open.count()) await open.click();
      await select(page, 'purchase-again');
      await page.getByTestId('palette-Wait').click();
      await node(page, 'wait').waitFor();
      const style = await settled(page);
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      const box = async (id: string) => (await node(page, id).boundingBox())!;
      // The new activity and the path into it, at the readable zoom (the most of the path it holds).
      for (const id of ['wait', 'purchase-again', 'loyalty', 'confirmation'])
        assert.ok(inside(await box(id), canvas), `${id} is in view at ${width} px`);
      const zoom = Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? '1');
      assert.ok(Math.abs(zoom - 0.7) < 0.01, `zoom ${zoom} at ${width} px`);
      // The start's row stays in view; the start itself does not fit beside the new activity.
      const start = await box('checkout');
      assert.ok(start.y >= canvas.y && start.y + start.height <= canvas.y + canvas.height);
      assert.ok(!inside(start, canvas), `the start fits beside the new activity at ${width} px`);
      const hint = page.getByRole('button', { name: 'Journey start' });
      assert.ok(inside((await hint.boundingBox())!, canvas), 'the start is one click away');
      await browser.shot(`layout-${width}-add-wide`);
      await hint.click();
      await settled(page);
      assert.ok(inside(await box('checkout'), canvas), `the start is shown at ${width} px`);
      await hint.waitFor({ state: 'detached' });
      await browser.shot(`layout-${width}-add-wide-start`);
    });
  }
});
