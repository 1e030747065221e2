// The console's other screens in the browser: the expression editor's completion (event and profile
// fields) and diagnostics,
// the report page, a package export then import into another sandbox, and API errors shown next to
// what caused them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from './support/browser.ts';
import { node, saved, select } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';
import { pasteInto } from './support/paste.ts';

const checkout = (email: string) => ({
  type: 'LumaCheckoutEvent_Email',
  payload: {
    _aeppartner1: { identification: { core: { email } } },
    productListItems: [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
  },
});

describe('console screens', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole()));
  after(() => closeConsole({ server, browser }, 'console-last'));

  test('the expression editor completes event fields and shows errors where they are', async () => {
    const { page } = browser;
    const created = await server.api('POST', '/v1/journeys', {
      id: 'expr-check',
      name: 'Expression check',
      start: 'checkout',
      nodes: [
        {
          id: 'checkout',
          kind: 'event',
          event: 'LumaCheckoutEvent_Email',
          next: ['split'],
          position: { x: 0, y: 0 },
        },
        {
          id: 'split',
          kind: 'condition',
          label: 'Big order',
          paths: [{ label: 'Big', expression: '', next: [] }],
          position: { x: 260, y: 0 },
        },
      ],
    });
    assert.equal(created.journey.status, 'draft');
    await page.goto(`${server.url}/journeys/expr-check`);
    // The empty condition is a problem on the activity until it has a valid expression.
    await node(page, 'split').locator('.activity-error').waitFor();
    await select(page, 'split');
    const editor = page.getByLabel('Expression', { exact: true });
    await editor.click();
    await page.keyboard.type('@event{LumaCheckoutEvent_Email.product');
    await page.keyboard.press('Control+Space');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'productListItems' });
    await option.waitFor();
    await browser.shot('11-expression-completion');
    await option.click();
    await page.keyboard.type('.at(0).priceTotal} > 50');
    await page.locator('.expr-status', { hasText: '✓ valid' }).waitFor();
    await node(page, 'split')
      .locator('.activity-error')
      .waitFor({ state: 'detached', timeout: 30_000 });
    // An unknown field: the diagnostic underlines it and says why.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('@event{LumaCheckoutEvent_Email.nope} > 50');
    await page.locator('.expr-status', { hasText: '✖' }).waitFor();
    await page.locator('.cm-lintRange-error').first().waitFor();
    assert.equal(await page.locator('.cm-lintRange-error').first().innerText(), 'nope');
    assert.match(await page.locator('.expr-status').innerText(), /nope/);
    await browser.shot('12-expression-error');
    // Profile fields complete from the sandbox's profile schema (the demo ships Luma's).
    await page.keyboard.press('Control+a');
    await page.keyboard.type('#{ExperiencePlatform.ProfileFieldGroup.profile.loy');
    await page.keyboard.press('Control+Space');
    const loyalty = page.locator('.cm-tooltip-autocomplete li', { hasText: 'loyalty' });
    await loyalty.waitFor();
    await loyalty.click();
    await page.keyboard.type('.ti');
    await page.keyboard.press('Control+Space');
    const tier = page.locator('.cm-tooltip-autocomplete li', { hasText: 'tier' });
    await tier.waitFor();
    await browser.shot('13-profile-completion');
    await tier.click();
    await page.keyboard.type('} == "blue"');
    await page.locator('.expr-status', { hasText: '✓ valid' }).waitFor();
  });

  test('a journey entered from an audience: read audience from the palette, then audience qualification', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await server.api('POST', '/v1/journeys', {
      id: 'blue-welcome',
      name: 'Blue welcome',
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'PT1H', next: ['done'], position: { x: 0, y: 0 } },
        { id: 'done', kind: 'end', position: { x: 260, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/blue-welcome`);
    await page.getByTestId('palette-Read audience').click();
    const entry = page.getByRole('region', { name: 'Journey entry' });
    await entry.waitFor();
    assert.equal(await page.getByLabel('Entry', { exact: true }).inputValue(), 'readAudience');
    await page.getByLabel('Entry audience').selectOption('Luma - Blue Luma+ Members');
    await page.getByLabel('Entry rate').fill('1000');
    await page.getByLabel('Entry rate').press('Enter');
    await page.getByLabel('Entry schedule').selectOption('recurring');
    await page.getByLabel('Entry every').fill('P7D');
    await page.getByLabel('Entry incremental').check();
    await saved(page);
    await browser.shot('21-read-audience-entry');
    let stored = (await server.api('GET', '/v1/journeys/blue-welcome')).latest.definition;
    assert.deepEqual(stored.entry, {
      type: 'readAudience',
      audience: 'Luma - Blue Luma+ Members',
      namespace: 'Email',
      ratePerSecond: 1000,
      incremental: true,
      forceReentranceOnRecurrence: false,
      schedule: { kind: 'recurring', every: 'P7D' },
    });
    assert.equal(stored.start, 'wait', 'the first activity need not be an event');

    await page.getByLabel('Entry', { exact: true }).selectOption('audience');
    await page.getByLabel('Entry on').selectOption('exited');
    await saved(page);
    stored = (await server.api('GET', '/v1/journeys/blue-welcome')).latest.definition;
    assert.deepEqual(stored.entry, {
      type: 'audience',
      audience: 'Luma - Blue Luma+ Members',
      on: 'exited',
    });
  });

  test('undo and redo on the canvas, from the keyboard', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys/expr-check`);
    await node(page, 'split').waitFor();
    const nodes = page.locator('.react-flow__node');
    assert.equal(await nodes.count(), 2);
    await page
      .getByTestId('palette-End')
      .dragTo(page.getByTestId('canvas'), { targetPosition: { x: 60, y: 60 } });
    await node(page, 'end').waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await node(page, 'end').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await node(page, 'end').waitFor();
    // With the keyboard only: focus the palette entry, Enter adds a Wait after the selected activity.
    await node(page, 'end').click();
    await page.getByTestId('palette-Wait').focus();
    await page.keyboard.press('Enter');
    await node(page, 'wait').waitFor();
    assert.equal(await nodes.count(), 4);
  });

  test('a push activity takes its content from a content template, with a preview', async () => {
    const { page } = browser;
    const t = await server.api('POST', '/v1/content-templates', {
      id: 'luma-abandoned-push',
      name: 'Luma - Abandoned Push',
      channel: 'push',
      content: {
        channel: 'push',
        title: 'You left something in your cart',
        body: '{{profile.person.name.firstName}}, your Luma cart is waiting.',
      },
    });
    assert.ok(t && !t.error, JSON.stringify(t));
    await page.goto(`${server.url}/journeys/expr-check`);
    await node(page, 'split').waitFor();
    await page
      .getByTestId('palette-Push')
      .dragTo(page.getByTestId('canvas'), { targetPosition: { x: 80, y: 300 } });
    await node(page, 'push').waitFor();
    await page.getByLabel('Content template').selectOption({ label: 'Luma - Abandoned Push' });
    await page.getByRole('button', { name: 'Confirm' }).click();
    assert.equal(await page.getByLabel('Title').inputValue(), 'You left something in your cart');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page
      .getByRole('region', { name: 'Preview' })
      .or(page.locator('.preview'))
      .first()
      .waitFor();
    await page
      .locator('.preview')
      .getByLabel('Test profile')
      .selectOption({ label: 'sarah.miller@luma.example' });
    await page
      .locator('.preview .phone', { hasText: 'Sarah, your Luma cart is waiting.' })
      .waitFor();
    await browser.shot('18-push-template-preview');
  });

  test('the system status page shows the store, the NATS ingest and what waits, and follows it as it changes', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/system`);
    await page.getByRole('heading', { name: 'System status' }).waitFor();
    assert.match(
      await page.getByTestId('status-store').innerText(),
      /^SQLite \(embedded\), .*waymark\.db$/,
    );
    assert.match(await page.getByTestId('status-nats').innerText(), /^Off: events come over HTTP/);
    const deadLetters = page.getByTestId('status-dead-letters');
    const before = Number(await deadLetters.innerText());
    const refused = await server.api('POST', '/v1/events', {
      type: 'LumaCheckoutEvent_Email',
      payload: {},
    });
    assert.equal(refused.rejected, 1);
    // The page looks again every 5 s, without a reload.
    await page
      .getByTestId('status-dead-letters')
      .filter({ hasText: String(before + 1) })
      .waitFor({ timeout: 15_000 });
    await browser.shot('23-system-status');
  });

  test('the report page shows totals, counts per activity and the messages', async () => {
    const { page } = browser;
    const r = await server.api('POST', '/v1/events', checkout('sarah.miller@luma.example'));
    assert.equal(r.accepted, 1);
    await page.goto(`${server.url}/journeys/purchase-journey/report`);
    await page.getByTestId('kpi-entered').filter({ hasText: '1' }).waitFor();
    await page.getByRole('img', { name: 'Profiles per activity' }).waitFor();
    // Over time, from the server's timeline: the entry is on the chart, per hour and per minute.
    const overTime = page.getByRole('region', { name: 'Over time' });
    await overTime.getByRole('img', { name: 'Profiles over time' }).waitFor();
    assert.match(await overTime.locator('.legend').first().innerText(), /entered/);
    await overTime.getByLabel('Time bucket').selectOption('minute');
    await overTime.getByRole('img', { name: 'Profiles over time' }).waitFor();
    const rows = page.getByRole('table', { name: 'Activities' }).locator('tbody tr');
    assert.equal(await rows.count(), 8);
    assert.match(await rows.first().innerText(), /LumaCheckoutEvent_Email\s+event\s+1/);
    await page.getByRole('table', { name: 'Message outcomes' }).waitFor();
    await page.getByRole('table', { name: 'Link clicks' }).waitFor();
    await browser.shot('13-report');
    // The same counts on the canvas.
    await page.getByRole('link', { name: 'Open the canvas' }).click();
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    await node(page, 'checkout').locator('[data-count="entered"]', { hasText: 'in 1' }).waitFor();
  });

  test('a link click in the report makes an audience on the server, with its members at once', async () => {
    const { page } = browser;
    // Sarah (in the journey since the report test) purchases: the order confirmation email is sent.
    const purchase = { ...checkout('sarah.miller@luma.example'), type: 'LumaPurchaseEvent_Email' };
    assert.equal((await server.api('POST', '/v1/events', purchase)).accepted, 1);
    let link: string | undefined;
    for (let i = 0; i < 200 && !link; i++) {
      const sent = await server.api('GET', '/v1/messages?journey=purchase-journey&limit=100');
      link = JSON.stringify(sent.items.filter((m: any) => m.node === 'confirmation')).match(
        /http:\/\/127\.0\.0\.1:\d+\/t\/c\/[^"\s<>\\]+/,
      )?.[0];
      if (!link) await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.ok(link, 'a tracked link in the confirmation email');
    await fetch(link!.replace(/&amp;/g, '&'), { redirect: 'manual' });
    await page.goto(`${server.url}/journeys/purchase-journey/report`);
    const row = page
      .getByRole('table', { name: 'Link clicks' })
      .locator('tbody tr', { hasText: 'luma.example' })
      .first();
    await row.waitFor();
    await row.getByRole('button', { name: 'Create audience' }).click();
    const ask = page.getByRole('dialog', {
      name: 'Create an audience of the profiles who clicked',
    });
    await ask.getByLabel('Audience name').fill('Clicked in the confirmation');
    await ask.getByRole('button', { name: 'Create audience' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Audience "Clicked in the confirmation" created with 1 member.' })
      .waitFor();
    await page.getByRole('link', { name: 'Open the audience' }).click();
    const stored = page.getByRole('status', { name: 'Server audience size' });
    await stored
      .getByRole('list', { name: 'Sample of members' })
      .filter({ hasText: 'sarah.miller@luma.example' })
      .waitFor();
    assert.equal(await page.getByTestId('audience-realized').innerText(), '1');
    await browser.shot('21-audience-from-click');
  });

  test('exports the Purchase Journey with its dependencies and imports it into another sandbox', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Packages' }).click();
    await page
      .getByLabel('What to export')
      .selectOption({ label: 'Purchase Journey and what it uses' });
    await page.getByRole('button', { name: 'Prepare export' }).click();
    const contents = page.getByRole('list', { name: 'Package contents' });
    for (const dep of [
      'purchase-journey',
      'LumaCheckoutEvent_Email',
      'LumaPurchaseEvent_Email',
      'LoyaltyService',
      'EmailMarketing',
      'DXDemoApp',
      'Luma Marketing - Outgoing messages',
      'Luma - Mobile App Users',
      'order-content',
    ]) {
      await contents.getByText(dep, { exact: true }).first().waitFor();
    }
    await browser.shot('14-package-export');
    await page.getByRole('button', { name: 'Copy to import' }).click();
    // Into a new sandbox: nothing conflicts. Sandboxes exist once created: made through the API, then
    // chosen in the switcher (which lists them from GET /v1/me, read again on reload).
    assert.equal(
      (await server.api('POST', '/v1/sandboxes', { name: 'staging', type: 'development' })).name,
      'staging',
    );
    await page.reload();
    await page.getByLabel('Sandbox').selectOption('staging');
    await page.getByRole('link', { name: 'Packages' }).click();
    await page.getByRole('button', { name: 'Prepare export' }).waitFor();
    // Each sandbox opens its own page: paste the package exported from prod.
    const only = await server.api('GET', '/v1/packages/export?journey=purchase-journey');
    await pasteInto(page, page.getByLabel('Package (JSON)'), JSON.stringify(only, null, 2));
    await page.getByRole('button', { name: 'Check' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '0 already here with other content' })
      .waitFor();
    await page.getByRole('button', { name: 'Import' }).click();
    await page
      .getByRole('table', { name: 'Imported objects' })
      .getByRole('row', { name: /Purchase Journey/ })
      .waitFor();
    await browser.shot('15-package-import');
    const staged = await fetch(`${server.apiUrl}/v1/journeys/purchase-journey`, {
      headers: { authorization: `Bearer ${server.key}`, 'x-sandbox-name': 'staging' },
    }).then((r) => r.json() as Promise<any>);
    assert.equal(staged.name, 'Purchase Journey');
    // Again: now everything is there, the same as in the package.
    await page.getByRole('button', { name: 'Check' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${only.objects.length} objects: 0 new` })
      .waitFor();
    await page.getByText('Nothing to change: every object is the same as here.').waitFor();
    await page.getByLabel('Show the objects that are the same as here').check();
    assert.equal(
      await page.getByRole('table', { name: 'Plan' }).getByText('Nothing to do').count(),
      only.objects.length,
    );
    await page.getByLabel('Sandbox').selectOption('prod');
  });

  test('the audience builder shows the rule and estimates the size with a sample', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'Audiences' }).click();
    await page.getByRole('link', { name: /Luma - Mobile App Users/ }).click();
    assert.equal(await page.getByLabel('Rule 1 attribute').inputValue(), 'mobileApp.installed');
    assert.equal(await page.getByLabel('Rule 1 operator').inputValue(), 'isTrue');
    // The size and sample the server stores, after an evaluation over every profile.
    const stored = page.getByRole('status', { name: 'Server audience size' });
    await stored.waitFor();
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    await stored
      .getByRole('list', { name: 'Sample of members' })
      .filter({ hasText: 'sarah.miller@luma.example' })
      .waitFor();
    const size = await server.api(
      'GET',
      `/v1/audiences/${encodeURIComponent('Luma - Mobile App Users')}/size`,
    );
    assert.ok(size.realized >= 1);
    assert.equal(await page.getByTestId('audience-realized').innerText(), String(size.realized));
    assert.doesNotMatch(await stored.innerText(), /jean\.dupont/);
    await page.getByRole('button', { name: 'Estimate size' }).click();
    const estimate = page.getByRole('status', { name: 'Audience size', exact: true });
    await estimate.waitFor();
    assert.match(await estimate.innerText(), /sarah\.miller@luma\.example/);
    assert.doesNotMatch(await estimate.innerText(), /jean\.dupont/);
    // Editing in the builder edits the definition that Save sends.
    await page.getByLabel('Rule 1 operator').selectOption('isFalse');
    await page.getByRole('button', { name: 'Estimate size' }).click();
    await estimate.filter({ hasText: 'jean.dupont@luma.example' }).waitFor();
    await browser.shot('17-audience-builder');
    // The edit was only to estimate: discarded, so the next page opens without asking.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page
      .getByRole('dialog', { name: 'Discard your changes?' })
      .getByRole('button', { name: 'Discard changes' })
      .click();
  });

  test('the audience builder makes rules of every kind: events in a window with a payload condition, and an excluded audience', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await server.api('POST', '/v1/audiences', {
      name: 'Frequent buyers',
      origin: 'streaming',
      namespace: 'Email',
      definition: { kind: 'attribute', path: 'loyalty.tier', op: 'exists' },
    });
    await page.getByRole('link', { name: 'Audiences' }).click();
    await page.reload();
    await page.getByRole('link', { name: /Frequent buyers/ }).click();
    await page.getByLabel('Rule 1 kind').selectOption('event');
    await page.getByLabel('Rule 1 event type').selectOption('LumaPurchaseEvent_Email');
    await page.getByLabel('Rule 1 count').selectOption('atLeast');
    await page.getByLabel('Rule 1 times').fill('2');
    await page.getByLabel('Rule 1 window', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Add a condition on the event' }).click();
    await page.getByLabel('Rule 1 where 1 attribute').fill('commerce.order.priceTotal');
    await page.getByLabel('Rule 1 where 1 operator').selectOption('gte');
    await page.getByLabel('Rule 1 where 1 value').fill('50');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Rule 2 kind').selectOption('audience');
    await page.getByLabel('Rule 2 audience').selectOption('Luma - Blue Luma+ Members');
    await page.getByLabel('Rule 2 excluded').check();
    await browser.shot('20-audience-builder-kinds');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .locator('.object-detail [role="status"]')
      .filter({ hasText: /Saved/ })
      .first()
      .waitFor();
    const saved = await server.api('GET', `/v1/audiences/${encodeURIComponent('Frequent buyers')}`);
    assert.deepEqual(saved.spec.definition, {
      kind: 'and',
      rules: [
        {
          kind: 'event',
          eventType: 'LumaPurchaseEvent_Email',
          count: { op: 'atLeast', value: 2 },
          within: { amount: 30, unit: 'days' },
          where: [{ kind: 'attribute', path: 'commerce.order.priceTotal', op: 'gte', value: 50 }],
        },
        { kind: 'not', rule: { kind: 'audience', name: 'Luma - Blue Luma+ Members' } },
      ],
    });
    // The size of such an audience is the server's to tell.
    await page.getByRole('button', { name: 'Estimate size' }).click();
    await page.getByRole('alert').filter({ hasText: 'Evaluate now' }).waitFor();
  });

  test('an audience on a batch schedule, and an uploaded audience filled from a CSV file', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'Audiences' }).click();
    await page.getByRole('link', { name: /Luma - Blue Luma\+ Members/ }).click();
    const schedule = page.getByRole('status', { name: 'Schedule' });
    await schedule.filter({ hasText: 'Not scheduled' }).waitFor();
    await page.getByLabel('Every (minutes)').fill('90');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await schedule.filter({ hasText: 'Evaluated every 90 min' }).waitFor();
    const jobs = await server.api('GET', '/v1/audience-jobs');
    assert.ok(
      jobs.items.some(
        (j: { id: string; everyMs?: number }) =>
          j.id === 'batch:Luma - Blue Luma+ Members' && j.everyMs === 5_400_000,
      ),
    );
    await page.getByRole('button', { name: 'Remove schedule' }).click();
    await schedule.filter({ hasText: 'Not scheduled' }).waitFor();

    await server.api('POST', '/v1/audiences', {
      name: 'Lab VIPs',
      origin: 'uploaded',
      namespace: 'Email',
    });
    await page.getByRole('link', { name: 'Audiences' }).click();
    await page.reload();
    await page.getByRole('link', { name: /Lab VIPs/ }).click();
    const csv = 'id\nsarah.miller@luma.example\njean.dupont@luma.example\n\n"not closed\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'vips.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Upload mode').selectOption('replace');
    await page.getByRole('button', { name: 'Upload' }).click();
    const result = page.getByRole('status', { name: 'Upload result' });
    await result.filter({ hasText: '2 joined' }).waitFor();
    assert.match(await page.getByRole('list', { name: 'Refused rows' }).innerText(), /line 5/);
    await page.getByTestId('audience-realized').filter({ hasText: '2' }).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Evaluate now' }).count(),
      0,
      'an uploaded audience has no rule to evaluate',
    );
    await browser.shot('18-audience-upload');
    const size = await server.api('GET', `/v1/audiences/${encodeURIComponent('Lab VIPs')}/size`);
    assert.equal(size.realized, 2);
  });

  test('profiles imported from a CSV file, with progress and the refused rows by line', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'Profiles' }).click();
    await page.reload();
    const rows = ['namespace,id,person.name.firstName,loyalty.tier'];
    for (let i = 0; i < 1200; i++)
      rows.push(`Email,import${i}@luma.example,Name ${i},${i % 2 ? 'gold' : 'blue'}`);
    rows.splice(3, 0, 'Nowhere,bad@luma.example,Bad,blue');
    await page.getByLabel('Profiles file').setInputFiles({
      name: 'profiles.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByRole('status', { name: 'Import result' });
    await result.filter({ hasText: '1201 rows: 1200 imported, 1 refused' }).waitFor();
    assert.match(
      await page.getByRole('list', { name: 'Refused rows' }).innerText(),
      /line 4: namespace/,
    );
    assert.equal(await page.getByLabel('Import progress').getAttribute('value'), '1201');
    await browser.shot('22-profile-import');
    const one = await server.api('GET', '/v1/profiles/Email/import1199@luma.example');
    assert.deepEqual(one.attributes, {
      person: { name: { firstName: 'Name 1199' } },
      loyalty: { tier: 'gold' },
    });
  });

  test('a profile shows its audiences and events, and is erased on request', async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await server.api('PUT', '/v1/profiles/Email/erase.me@luma.example', {
      attributes: { mobileApp: { installed: true }, loyalty: { tier: 'blue' } },
    });
    await server.api('POST', '/v1/events', checkout('erase.me@luma.example'));
    await page.getByRole('link', { name: 'Profiles' }).click();
    await page.reload();
    // Looked up on the server (the list shows the latest profiles only).
    await page.getByLabel('Find a profile').fill('erase.me@luma.example');
    await page.getByLabel('Find a profile').press('Enter');
    await page.getByRole('heading', { name: 'Email: erase.me@luma.example' }).waitFor();
    const memberships = page.getByRole('table', { name: 'Memberships' });
    await memberships.waitFor();
    const text = await memberships.innerText();
    assert.match(text, /Luma - Mobile App Users\s+realized/);
    assert.match(text, /Luma - Blue Luma\+ Members\s+realized/);
    const events = page.getByRole('list', { name: 'Events' });
    await events.filter({ hasText: 'LumaCheckoutEvent_Email' }).waitFor();
    await events.getByText('LumaCheckoutEvent_Email').first().click();
    await events.locator('pre').filter({ hasText: '24-WG02' }).waitFor();
    await browser.shot('19-profile-audiences');
    await page.getByRole('button', { name: 'Erase profile' }).click();
    await page
      .getByRole('dialog', { name: /^Erase Email: / })
      .getByRole('button', { name: 'Erase profile' })
      .click();
    await page.getByText('Select a profile.').waitFor();
    await page.getByLabel('Find a profile').press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: 'no profile has the identity "erase.me@luma.example"' })
      .waitFor();
    const gone = await fetch(`${server.apiUrl}/v1/profiles/Email/erase.me@luma.example`, {
      headers: { authorization: `Bearer ${server.key}` },
    });
    assert.equal(gone.status, 404);
  });

  test("a custom action's test call shows the LoyaltyService answer", async () => {
    const { page } = browser;
    await page.getByLabel('Sandbox').selectOption('prod');
    await page.getByRole('link', { name: 'Custom actions' }).click();
    await page.getByRole('link', { name: /LoyaltyService/ }).click();
    const form = page.getByRole('form', { name: 'Test call' });
    await form.getByLabel('Parameter loyaltyId').fill('L-42');
    await form.getByLabel('Parameter orderValue').fill('92');
    await form.getByRole('button', { name: 'Call the action' }).click();
    const answer = form.getByRole('status', { name: 'Test call answer' });
    await answer.waitFor();
    assert.match(await answer.innerText(), /HTTP 200/);
    assert.match(await answer.innerText(), /10% off your next order/);
    assert.match(await answer.innerText(), /LUMA10-[0-9A-F]{6}/);
    await browser.shot('20-action-test-call');
  });

  test('assets: the image and an upload of a new version', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Assets' }).click();
    const first = page.locator('.object-list li a').first();
    await first.waitFor();
    await first.click();
    await page.locator('img.asset-image').waitFor();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    await page
      .getByLabel('Upload a new version')
      .setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('status').filter({ hasText: 'Uploaded dot.png' }).waitFor();
    await browser.shot('19-assets');
  });

  test('an API error shows next to the definition that caused it, field by field', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('link', { name: /LumaCheckoutEvent_Email/ }).click();
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    const editor = page.getByLabel('Events definition');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('{"name": "LumaCheckoutEvent_Email", "schema": 42}');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.object-detail [role="alert"]').waitFor();
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    assert.match(await problems.innerText(), /schema/);
    await browser.shot('16-object-error');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page
      .getByRole('dialog', { name: 'Discard your changes?' })
      .getByRole('button', { name: 'Discard changes' })
      .click();
  });

  test('the shell shows who is signed in, from GET /v1/me', async () => {
    const { page } = browser;
    const me = await server.api('GET', '/v1/me');
    assert.equal(typeof me.actor.name, 'string');
    await page.goto(`${server.url}/journeys`);
    await page.getByTestId('me').filter({ hasText: me.actor.name }).waitFor();
    // The switcher offers management once the signed-in person's permissions have loaded.
    await page
      .getByLabel('Sandbox')
      .locator('option', { hasText: 'Manage sandboxes…' })
      .waitFor({ state: 'attached' });
  });
});
