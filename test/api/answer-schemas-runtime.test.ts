// The console's types for what journeys do (instances, messages, reports, profiles, test runs), the
// session, the audit log, approvals and search are inferred from zod schemas (src/isomorphic/api).
// Here a real server runs the Luma lab's Purchase Journey, and every answer must parse with its
// schema, strictly: a route and its type cannot drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  approvalListAnswer,
  approvalNotificationsAnswer,
  approvalViewSchema,
  auditPageAnswer,
  searchAnswer,
} from '../../src/access/api-schemas.ts';
import { deadLetterListAnswer, ingestAnswer } from '../../src/isomorphic/api/events.ts';
import { instanceListAnswer } from '../../src/isomorphic/api/instances.ts';
import { devInboxAnswer, messageListAnswer } from '../../src/isomorphic/api/messages.ts';
import {
  profileDetailSchema,
  profileEventsAnswer,
  profileListAnswer,
  profileSchema,
} from '../../src/isomorphic/api/profiles.ts';
import {
  journeyReportSchema,
  timelineAnswer,
  validateAnswer,
} from '../../src/isomorphic/api/reports.ts';
import { sessionInfoSchema } from '../../src/isomorphic/api/session.ts';
import { fleetViewSchema, statusAnswer } from '../../src/isomorphic/api/status.ts';
import { actionSpecSchema, eventTypeSpecSchema } from '../../src/isomorphic/api/specs.ts';
import {
  testEventAnswer,
  testReplayAnswer,
  testRunListAnswer,
  testRunSchema,
} from '../../src/isomorphic/api/test-runs.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { conforms } from '../support/conforms.ts';
import { ADMIN_KEY, apiWorld } from '../support/server.ts';

const TOM = 'tom.baker@luma.example';
const JOURNEY = '/v1/journeys/purchase-journey';

test('a profile abandons its cart: the event, a dead letter, its instance, the email, the report and the profile match their schemas', async () => {
  const w = await apiWorld();
  try {
    const ingested = await w.request(
      'POST',
      '/v1/events',
      lumaEvent('LumaCheckoutEvent_Email', TOM, cart),
    );
    conforms(ingestAnswer, ingested, 'POST /v1/events');
    const refused = await w.request('POST', '/v1/events', [
      { type: 'LumaCheckoutEvent_Email', payload: { nothing: true } },
    ]);
    conforms(ingestAnswer, { status: 200, body: refused.body }, 'POST /v1/events (rejected)');
    const dead = await w.request('GET', '/v1/dead-letters');
    conforms(deadLetterListAnswer, dead, 'GET /v1/dead-letters');
    assert.equal(dead.body.items.length, 1, 'the refused event is a dead letter');
    const waiting = await w.request('GET', `${JOURNEY}/instances?profile=Email:${TOM}`);
    conforms(instanceListAnswer, waiting, 'GET /v1/journeys/:id/instances (waiting)');
    assert.equal(waiting.body.items[0].waiting.kind, 'listening');

    await w.advance(3 * 60_000);
    conforms(instanceListAnswer, await w.request('GET', `${JOURNEY}/instances`), 'instances');
    const messages = await w.request('GET', '/v1/messages');
    conforms(messageListAnswer, messages, 'GET /v1/messages');
    assert.ok(messages.body.items.length > 0, 'the abandoned-cart email was sent');
    const inbox = await w.request('GET', '/v1/dev/inbox');
    conforms(devInboxAnswer, inbox, 'GET /v1/dev/inbox');
    assert.ok(inbox.body.email.length > 0, 'the mail reached the development inbox');

    const report = await w.request('GET', `${JOURNEY}/report`);
    conforms(journeyReportSchema, report, 'GET /v1/journeys/:id/report');
    assert.ok(report.body.total.entered > 0);
    conforms(
      timelineAnswer,
      await w.request('GET', `${JOURNEY}/report/timeline?bucket=minute`),
      'GET /v1/journeys/:id/report/timeline',
    );
    conforms(validateAnswer, await w.request('POST', `${JOURNEY}/validate`), 'validate');

    conforms(profileListAnswer, await w.request('GET', '/v1/profiles'), 'GET /v1/profiles');
    const tom = await w.request('GET', `/v1/profiles/Email/${TOM}`);
    conforms(profileDetailSchema, tom, 'GET /v1/profiles/:namespace/:id');
    assert.ok(tom.body.journeys.length > 0);
    conforms(
      profileEventsAnswer,
      await w.request('GET', `/v1/profiles/Email/${TOM}/events`),
      'GET /v1/profiles/:namespace/:id/events',
    );
    conforms(
      profileSchema,
      await w.request('PUT', `/v1/profiles/Email/${TOM}`, { attributes: { tier: 'gold' } }),
      'PUT /v1/profiles/:namespace/:id',
    );

    const eventTypes = (await w.request('GET', '/v1/event-types')).body.items;
    for (const e of eventTypes)
      conforms(eventTypeSpecSchema, { status: 200, body: e.spec }, `event type ${e.key}`);
    const actions = (await w.request('GET', '/v1/actions')).body.items;
    assert.ok(actions.length > 0, 'the lab has actions');
    for (const a of actions)
      conforms(actionSpecSchema, { status: 200, body: a.spec }, `action ${a.key}`);
  } finally {
    await w.close();
  }
});

test('a draft in test mode: the test event, the runs, a run with its trace and a replay match their schemas', async () => {
  const w = await apiWorld();
  try {
    assert.equal((await w.request('POST', `${JOURNEY}/versions`)).status, 201);
    await w.request('POST', `${JOURNEY}/test-mode`, { enabled: true });
    const { type, payload } = lumaEvent('LumaCheckoutEvent_Email', TOM, cart) as {
      type: string;
      payload: unknown;
    };
    const sent = await w.request('POST', `${JOURNEY}/test-runs/events`, { type, payload });
    conforms(testEventAnswer, sent, 'POST /v1/journeys/:id/test-runs/events');
    await w.advance(3 * 60_000);
    const runs = await w.request('GET', `${JOURNEY}/test-runs`);
    conforms(testRunListAnswer, runs, 'GET /v1/journeys/:id/test-runs');
    const runId = runs.body.items[0].id as string;
    const run = await w.request('GET', `${JOURNEY}/test-runs/${runId}`);
    conforms(testRunSchema, run, 'GET /v1/journeys/:id/test-runs/:runId');
    const kinds = new Set(run.body.trace.map((s: { entry: { kind: string } }) => s.entry.kind));
    for (const k of ['event', 'timer', 'timerFired', 'message', 'messageResult', 'state'])
      assert.ok(kinds.has(k), `the trace has a ${k} step: ${[...kinds].join(', ')}`);
    conforms(
      testReplayAnswer,
      await w.request('POST', `${JOURNEY}/test-runs/${runId}/replay`, {}),
      'POST /v1/journeys/:id/test-runs/:runId/replay',
    );
  } finally {
    await w.close();
  }
});

test('signing in, an approval request, the audit log, the status pages and quick search match their schemas', async () => {
  const w = await apiWorld();
  try {
    const signedIn = await w.server.inject({
      method: 'POST',
      url: '/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ key: ADMIN_KEY }),
    });
    conforms(sessionInfoSchema, { status: signedIn.statusCode, body: signedIn.json() }, 'sign-in');
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
    const session = await w.server.inject({
      method: 'GET',
      url: '/v1/session',
      headers: { cookie },
    });
    conforms(sessionInfoSchema, { status: session.statusCode, body: session.json() }, 'session');

    assert.equal((await w.request('POST', `${JOURNEY}/versions`)).status, 201);
    const asked = await w.request('POST', `${JOURNEY}/approval-requests`, { comment: 'Wording' });
    conforms(approvalViewSchema, asked, 'POST /v1/journeys/:id/approval-requests');
    conforms(approvalListAnswer, await w.request('GET', '/v1/approvals'), 'GET /v1/approvals');
    conforms(
      approvalNotificationsAnswer,
      await w.request('GET', '/v1/approvals/notifications'),
      'GET /v1/approvals/notifications',
    );
    conforms(
      approvalViewSchema,
      await w.request('POST', `/v1/approvals/${asked.body.id as string}/cancel`, {}),
      'POST /v1/approvals/:id/cancel',
    );

    const audit = await w.request('GET', '/v1/audit-log?limit=50');
    conforms(auditPageAnswer, audit, 'GET /v1/audit-log');
    assert.ok(audit.body.items.length > 0);
    conforms(statusAnswer, await w.request('GET', '/v1/status'), 'GET /v1/status');
    conforms(fleetViewSchema, await w.request('GET', '/v1/status/fleet'), 'GET /v1/status/fleet');
    const found = await w.request('GET', '/v1/search?q=purchase');
    conforms(searchAnswer, found, 'GET /v1/search');
    assert.ok(found.body.items.length > 0);
  } finally {
    await w.close();
  }
});
