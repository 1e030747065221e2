// The journey rules of issue #19 in the console: the journey's identity namespace and exit on
// leaving an audience in the journey properties, a dry run started and stopped from the editor,
// and a read-audience entry run on a business event.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from './support/browser.ts';
import { saved } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const AUDIENCE = 'Luma - Blue Luma+ Members';

describe('journey rules in the console', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole()));
  after(() => closeConsole({ server, browser }, 'journey-rules-last'));

  test('namespace and audience exit in the properties, then a dry run started and stopped', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/journeys', {
      id: 'rules-check',
      name: 'Rules check',
      start: 'checkout',
      nodes: [
        {
          id: 'checkout',
          kind: 'event',
          event: 'LumaCheckoutEvent_Email',
          next: ['wait'],
          position: { x: 0, y: 0 },
        },
        { id: 'wait', kind: 'wait', duration: 'PT1H', next: ['done'], position: { x: 260, y: 0 } },
        { id: 'done', kind: 'end', position: { x: 520, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/rules-check`);
    const namespace = page.locator('input[name="journey-namespace"]');
    await namespace.waitFor();
    await namespace.fill('Email');
    const exits = page.locator('input[name="journey-exit-audiences"]');
    await exits.fill(AUDIENCE);
    await exits.press('Tab');
    await saved(page);
    const stored = (await server.api('GET', '/v1/journeys/rules-check')).latest.definition;
    assert.equal(stored.namespace, 'Email');
    assert.deepEqual(stored.exitCriteria, [{ audienceExit: AUDIENCE }]);

    await page.locator('details.more summary').click();
    await page.getByRole('menuitem', { name: 'Dry run' }).click();
    await page.locator('.toolbar .badge.status-dryRun').waitFor();
    assert.equal(
      (await server.api('GET', '/v1/journeys/rules-check')).latest.status,
      'dryRun',
      'the draft runs dry',
    );
    await page.getByText('Dry run: nothing is sent').waitFor();
    // A checkout for the draft in dry run: its summary counts the entry, and nothing is sent.
    await server.api('POST', '/v1/events', {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'ana.garcia@luma.example' } } },
        productListItems: [{ name: 'Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
      },
    });
    const summary = page.getByTestId('dry-run-summary');
    await summary.filter({ hasText: '1 entered' }).waitFor({ timeout: 15_000 });
    // When it ends by itself shows, as a date in one sentence (the banner's flex row keeps it whole).
    const endsAt = await summary.getAttribute('data-ends');
    assert.ok(endsAt, 'the report tells when the dry run ends');
    assert.equal(await summary.locator('time').getAttribute('datetime'), endsAt);
    assert.match(
      await summary.innerText(),
      /^Dry run until .+ \(it ends by itself 14 days after it started\): 1 entered/,
    );
    assert.equal(await summary.locator(':scope > *').count(), 1, 'one flowing paragraph');
    assert.equal(await page.locator('.toolbar .badge.status-dryRun').innerText(), 'dry run');
    await page.locator('details.more summary').click();
    await page.getByRole('menuitem', { name: 'Stop dry run' }).click();
    await page.locator('.toolbar .badge.status-draft').waitFor();
    assert.equal((await server.api('GET', '/v1/journeys/rules-check')).latest.status, 'draft');
  });

  test('an SMS configuration shows its tracking; a reaction to untracked clicks says which setting to turn on', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/channel-configurations', {
      channel: 'sms',
      name: 'RulesSMS',
      provider: 'twilio',
      twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'secret', from: '+15551234567' },
    });
    await page.goto(`${server.url}/objects/channel-configurations/RulesSMS`);
    const clicks = page.getByLabel('Track link clicks');
    await clicks.waitFor();
    assert.equal(await clicks.isChecked(), false, 'shown without adding a section, off by default');
    assert.equal(await page.getByLabel('Short links valid for (days)').inputValue(), '30');
    await page.getByRole('button', { name: '+ Add Vonage' }).waitFor();
    await page.getByRole('button', { name: 'Remove Twilio' }).waitFor();

    await server.api('POST', '/v1/journeys', {
      id: 'sms-clicks',
      name: 'SMS clicks',
      start: 'checkout',
      nodes: [
        {
          id: 'checkout',
          kind: 'event',
          event: 'LumaCheckoutEvent_Email',
          next: ['text'],
          position: { x: 0, y: 0 },
        },
        {
          id: 'text',
          kind: 'sms',
          label: 'Thank-you SMS',
          configuration: 'RulesSMS',
          content: { channel: 'sms', text: 'Thanks! https://luma.example/track' },
          next: ['clicked'],
          position: { x: 260, y: 0 },
        },
        {
          id: 'clicked',
          kind: 'reaction',
          message: 'text',
          reaction: 'clicked',
          next: ['done'],
          position: { x: 520, y: 0 },
        },
        { id: 'done', kind: 'end', position: { x: 780, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/sms-clicks`);
    await page.locator('.react-flow__node[data-id="clicked"]').click();
    const panel = page.getByRole('complementary', { name: 'Reaction settings' });
    await panel
      .getByText('"RulesSMS" does not track link clicks', { exact: false })
      .waitFor({ timeout: 15_000 });
    assert.match(await panel.innerText(), /turn on "Track link clicks" in its Tracking settings/);
    assert.doesNotMatch(await panel.innerText(), /reaction_untracked/);
    assert.equal(
      await panel.locator('select[name="reaction"] option:checked').innerText(),
      'SMS link clicked',
    );
    assert.equal(
      await panel.locator('select[name="message"] option:checked').innerText(),
      'Thank-you SMS (SMS)',
    );
  });

  test('a read-audience entry runs on a business event', async () => {
    const { page } = browser;
    await server.api('PUT', '/v1/event-types/FlashSale', {
      name: 'FlashSale',
      business: true,
      schema: { type: 'object', properties: { discount: { type: 'number' } } },
    });
    await server.api('POST', '/v1/journeys', {
      id: 'flash-sale',
      name: 'Flash sale',
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'PT1H', next: ['done'], position: { x: 0, y: 0 } },
        { id: 'done', kind: 'end', position: { x: 260, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/flash-sale`);
    await page.getByTestId('palette-Read audience').click();
    await page.getByRole('region', { name: 'Journey entry' }).waitFor();
    await page.getByLabel('Entry audience').selectOption(AUDIENCE);
    await page.getByLabel('Entry schedule').selectOption('business');
    assert.equal(await page.getByLabel('Entry business event').inputValue(), 'FlashSale');
    await saved(page);
    const stored = (await server.api('GET', '/v1/journeys/flash-sale')).latest.definition;
    assert.equal(stored.entry.type, 'readAudience');
    assert.equal(stored.entry.businessEvent, 'FlashSale');
    assert.deepEqual(stored.entry.schedule, { kind: 'once' });
  });
});
