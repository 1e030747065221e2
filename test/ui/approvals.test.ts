// An approval round trip for the Purchase Journey in prod, in the browser: with prod's approval
// policy on, Alice (journey manager) makes a new version and is offered "Request approval", not
// Publish; the draft is In review and read only; the queue tells her she cannot approve her own
// request. Bob (administrator) opens the journey and approves it with a comment: v2 is live. The
// audit log shows the request and the approval with their actors, filtered by actor. The Approvals
// page tells Bob what waits for him and Alice that her request was decided; the sandbox's settings
// form names approvers and keeps a campaign policy's approvers on save.
// Two people: API keys created through the API (signed in one after the other).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const JOURNEY = 'purchase-journey';

describe('journey approvals in the console', () => {
  let server: Running;
  let browser: Browser;
  let alice = '';
  let bob = '';
  const errors: string[] = [];
  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440, signIn: false }));
    alice = (
      await server.api('POST', '/v1/api-keys', {
        name: 'Alice (journeys)',
        role: 'journey-manager',
        sandboxes: ['prod'],
      })
    ).key;
    bob = (
      await server.api('POST', '/v1/api-keys', {
        name: 'Bob (admin)',
        role: 'admin',
        sandboxes: ['*'],
      })
    ).key;
    assert.match(alice, /^wmk_/);
    const policy = await server.api('PUT', '/v1/sandboxes/prod/settings', {
      retentionDays: null,
      approvals: { journeyPublish: true },
    });
    assert.equal(policy.approvals.journeyPublish, true);
  });
  after(() => closeConsole({ server, browser }, 'approvals-last'));

  const as = async (key: string) => {
    await browser.page.context().clearCookies();
    await signIn(browser.page, server.url, key);
  };
  const dialog = () => browser.page.locator('dialog[open]');
  const toolbar = () => browser.page.getByRole('toolbar', { name: 'Journey' });

  test('Alice requests approval of a new version; the draft is in review and read only; she cannot approve it', async () => {
    const { page } = browser;
    await as(alice);
    await page.getByRole('link', { name: 'Purchase Journey' }).first().click();
    await toolbar().getByRole('button', { name: 'Create new version' }).click();
    await toolbar().getByText('draft').waitFor();
    await toolbar().getByRole('button', { name: 'Request approval' }).waitFor();
    assert.equal(
      await toolbar().getByRole('button', { name: 'Publish' }).count(),
      0,
      'no Publish while the policy is on',
    );
    await toolbar().getByRole('button', { name: 'Request approval' }).click();
    await dialog()
      .getByLabel(/Note for the approver/)
      .fill('New loyalty offer wording');
    await browser.shotWide('approval-request', true);
    await dialog().getByRole('button', { name: 'Request approval' }).click();

    await toolbar().getByTestId('review-badge').waitFor();
    assert.equal(await toolbar().getByTestId('save-state').innerText(), 'Read only');
    const banner = page.getByRole('status', { name: 'In review' });
    await banner.getByText('New loyalty offer wording').waitFor();
    await banner.getByRole('button', { name: 'Cancel request' }).waitFor();
    assert.equal(
      await toolbar().getByRole('button', { name: 'Approve and publish' }).count(),
      0,
      'not for the requester',
    );
    assert.equal(await toolbar().getByRole('button', { name: 'Request approval' }).count(), 0);
    assert.equal(await toolbar().getByRole('button', { name: 'Save' }).count(), 0, 'read only');
    await browser.shotWide('approval-in-review-requester', true);

    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    const row = page
      .getByRole('table', { name: 'Approval requests' })
      .getByRole('row')
      .filter({ hasText: 'Purchase Journey' });
    await row.getByText('Pending').waitFor();
    await row.getByText('You requested this').waitFor();
    assert.equal(await row.getByRole('button', { name: 'Approve and publish' }).count(), 0);
    await browser.shotWide('approvals-queue-requester', true);
  });

  test('Bob approves it in the editor with a comment: v2 is live', async () => {
    const { page } = browser;
    await as(bob);
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    const row = page
      .getByRole('table', { name: 'Approval requests' })
      .getByRole('row')
      .filter({ hasText: 'Purchase Journey' });
    await row.getByRole('button', { name: 'Approve and publish' }).waitFor();
    await row.getByText('Alice (journeys)').waitFor();
    await page
      .getByRole('region', { name: 'Waiting for you' })
      .getByRole('link', { name: 'Purchase Journey' })
      .waitFor();
    await browser.shotWide('approvals-queue', true);
    await row.getByRole('link', { name: 'Purchase Journey' }).click();

    await toolbar().getByTestId('review-badge').waitFor();
    await toolbar().getByRole('button', { name: 'Reject' }).waitFor();
    await browser.shotWide('approval-in-review-approver', true);
    await toolbar().getByRole('button', { name: 'Approve and publish' }).click();
    await dialog().getByLabel('Comment (optional)').fill('Looks good');
    await dialog().getByRole('button', { name: 'Approve and publish' }).click();
    await toolbar().getByText('live').waitFor();
    await toolbar().getByText('v2').waitFor();
    const j = await server.api('GET', `/v1/journeys/${JOURNEY}`);
    assert.equal(j.live.version, 2);
    await browser.shotWide('approval-approved-live', true);
  });

  test('the audit log shows the request by Alice and the approval by Bob; filtering by actor', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    const filters = page.getByRole('form', { name: 'Filters' });
    const table = page.getByRole('table', { name: 'Audit log' });
    await filters.getByLabel('Object').fill(`journey:${JOURNEY}`);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByRole('row').filter({ hasText: 'Alice (journeys)' }).first().waitFor();
    await table.getByRole('row').filter({ hasText: 'Bob (admin)' }).first().waitFor();
    await browser.shotWide('approval-audit', true);

    await filters.getByLabel('Actor').fill('Alice (journeys)');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByRole('row').filter({ hasText: 'Alice (journeys)' }).first().waitFor();
    // The rows of the unfiltered answer stay until the filtered one arrives: wait for Bob's to go.
    await table
      .getByRole('row')
      .filter({ hasText: 'Bob (admin)' })
      .first()
      .waitFor({ state: 'detached' });
    assert.equal(await table.getByRole('row').filter({ hasText: 'Bob (admin)' }).count(), 0);
    assert.deepEqual(errors, []);
  });

  test('Alice reads that her request was approved; Bob names approvers in the settings, a campaign policy keeps its own', async () => {
    const { page } = browser;
    await as(alice);
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Approvals' })
      .click();
    const decided = page.getByRole('region', { name: 'Your requests decided' });
    await decided.getByRole('link', { name: 'Purchase Journey' }).waitFor();
    await decided.getByText(/approved by Bob \(admin\)/).waitFor();
    await page
      .getByRole('region', { name: 'Waiting for you' })
      .getByText('Nothing waits for your decision.')
      .waitFor();

    const campaignApprovers = { users: ['ben@luma.example'], roles: ['brand-reviewer'] };
    await server.api('PUT', '/v1/sandboxes/prod/settings', {
      retentionDays: null,
      approvals: {
        journeyPublish: true,
        campaigns: [{ name: 'Brand review', approvers: campaignApprovers }],
      },
    });
    await as(bob);
    await page.goto(`${server.url}/admin/sandboxes/prod`);
    const settings = page.getByRole('form', { name: 'Settings' });
    const policy = settings.getByRole('group', {
      name: 'Approvers of campaign policy Brand review',
    });
    assert.equal(await policy.getByLabel('Users').inputValue(), 'ben@luma.example');
    const journeys = settings.getByRole('group', { name: 'Journey approvers' });
    await journeys.getByLabel('Roles').fill('Brand Reviewer');
    await journeys.getByText('Not a role name: Brand, Reviewer').waitFor();
    await journeys.getByLabel('Roles').fill('brand-reviewer, admin');
    await journeys.getByLabel('Users').fill('bob@luma.example');
    await policy.getByLabel('Roles').fill('brand-reviewer, admin');
    await browser.shotWide('approvers-settings', true);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = await server.api('GET', '/v1/sandboxes/prod/settings');
    assert.deepEqual(saved.approvals.journeyApprovers, {
      users: ['bob@luma.example'],
      roles: ['brand-reviewer', 'admin'],
    });
    assert.deepEqual(saved.approvals.campaigns, [
      {
        name: 'Brand review',
        allowSelfApproval: false,
        approvers: { users: ['ben@luma.example'], roles: ['brand-reviewer', 'admin'] },
      },
    ]);
    assert.deepEqual(errors, []);
  });
});
