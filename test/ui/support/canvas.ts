// Canvas gestures for browser tests: drop a palette item, connect two activities, select one.
import type { Locator, Page } from 'playwright-core';

// Runs in the page: two animation frames.
const frames = (page: Page) =>
  page.evaluate(
    'new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(undefined))))',
  );

/** The box of an element once the canvas has stopped moving (auto-layout fits the view after a frame). */
async function stableBox(
  page: Page,
  l: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await l.boundingBox();
  for (let i = 0; i < 50; i++) {
    await frames(page);
    const now = await l.boundingBox();
    if (now && last && now.x === last.x && now.y === last.y && now.width === last.width) return now;
    last = now;
  }
  throw new Error('the canvas did not settle');
}

export const node = (page: Page, id: string) => page.locator(`[data-testid="node-${id}"]`);

/** Drags a palette entry onto an empty spot of the canvas, then arranges the canvas (auto-layout). */
export async function drop(page: Page, paletteLabel: string): Promise<void> {
  const before = await page.locator('.react-flow__node').count();
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.getByTestId(`palette-${paletteLabel}`).dragTo(page.getByTestId('canvas'), {
    targetPosition: { x: box.width - 40, y: box.height - 60 },
  });
  await page.locator('.react-flow__node').nth(before).waitFor();
  await page.getByRole('button', { name: 'Auto-layout' }).click();
}

/**
 * Drags from a source handle of one activity to the input of another. On a loaded machine a drag
 * can start before the canvas took the pointer (the edge never comes): it is measured and made
 * again, at most three times, and only while the edge is not there.
 */
export async function connect(page: Page, from: string, handle: string, to: string): Promise<void> {
  const src = page.locator(
    `.react-flow__node[data-id="${from}"] .react-flow__handle.source[data-handleid="${handle}"]`,
  );
  const dst = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`);
  const edge = page.locator(`.react-flow__edge[data-id="${from}:${handle}->${to}"]`);
  await src.waitFor();
  await dst.waitFor();
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await edge.count()) > 0) return;
    const a = await stableBox(page, src);
    const b = await stableBox(page, dst);
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    try {
      await edge.waitFor({ state: 'attached', timeout: 6000 });
      return;
    } catch {
      /* measured and dragged again */
    }
  }
  await edge.waitFor({ state: 'attached' });
}

/**
 * Selects an activity: clicks it until it shows as selected (a click that lands while the canvas is
 * still laying out a freshly loaded journey selects nothing, and the side panel never opens).
 */
export async function select(page: Page, id: string): Promise<void> {
  const selected = page.locator(`[data-testid="node-${id}"].selected`);
  for (let attempt = 0; attempt < 5; attempt++) {
    await node(page, id).click();
    try {
      await selected.waitFor({ timeout: 3000 });
      return;
    } catch {
      /* clicked too early: again */
    }
  }
  await selected.waitFor();
}

/** Waits until the editor says the draft is saved. */
export async function saved(page: Page): Promise<void> {
  await page
    .getByTestId('save-state')
    .filter({ hasText: /^Saved$|Not saved: see the problems/ })
    .waitFor();
}

export type Box = { x: number; y: number; width: number; height: number };

/** Whether box a lies within box b (a pixel of rounding allowed). */
export const inside = (a: Box, b: Box): boolean =>
  a.x >= b.x - 1 &&
  a.y >= b.y - 1 &&
  a.x + a.width <= b.x + b.width + 1 &&
  a.y + a.height <= b.y + b.height + 1;

/** The canvas's transform once it has stopped moving (a fit is animated). */
export async function settled(page: Page): Promise<string> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    const now = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
    if (now === last) return now;
    last = now;
    await page.waitForTimeout(150);
  }
  return last;
}
