// Test mode as a journey debugger, through the API: test events reach only the version under test,
// runs are kept per version with what happened at each step, secrets never show, runs replay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offerFor } from '../../examples/luma/loyalty-service.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';

const JEAN = 'jean.dupont@luma.example';

/** Purchase Journey: v1 stays live, v2 is a draft in test mode. */
async function liveAndTest(w: ApiWorld): Promise<void> {
  assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/versions')).status, 201);
  assert.equal(
    (await w.request('POST', '/v1/journeys/purchase-journey/test-mode', { enabled: true })).body
      .status,
    'test',
  );
  const j = await w.request('GET', '/v1/journeys/purchase-journey');
  assert.equal(j.body.live.version, 1);
  assert.equal(j.body.latest.version, 2);
}

const testEvent = (
  w: ApiWorld,
  type: 'LumaCheckoutEvent_Email' | 'LumaPurchaseEvent_Email',
  email: string,
) => {
  const { type: t, payload } = lumaEvent(type, email, cart) as { type: string; payload: unknown };
  return w.request('POST', '/v1/journeys/purchase-journey/test-runs/events', { type: t, payload });
};

describe('test events never enter live versions', () => {
  test("live v1 and draft v2 in test mode: a test profile's checkout and purchase give exactly one confirmation, from v2", async () => {
    const w = await apiWorld();
    try {
      await liveAndTest(w);
      const checkout = await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      assert.equal(checkout.status, 202);
      assert.deepEqual(checkout.body.result.journeys, ['purchase-journey']);
      assert.equal(checkout.body.version, 2);
      await w.advance(3_000);
      const purchase = await testEvent(w, 'LumaPurchaseEvent_Email', JEAN);
      assert.equal(purchase.status, 202);
      const profileId = purchase.body.result.profileId as string;

      const messages = await w.app.reads.messages('prod', { profileId, limit: 10 });
      assert.deepEqual(
        messages.map((m) => [m.label, m.version]),
        [['Order Confirmation Email', 2]],
        'one confirmation, from the version under test',
      );
      const instances = await w.app.reads.instances('prod', {
        journeyId: 'purchase-journey',
        profileId,
        limit: 10,
      });
      assert.deepEqual(
        instances.map((i) => i.version),
        [2],
        'the live version never saw the test events',
      );
    } finally {
      await w.close();
    }
  });

  test('plain events: a test profile enters the version under test, not the live one beside it; other profiles still enter the live version', async () => {
    const w = await apiWorld();
    try {
      await liveAndTest(w);
      await w.send([lumaEvent('LumaCheckoutEvent_Email', JEAN, cart)]);
      await w.send([lumaEvent('LumaPurchaseEvent_Email', JEAN, cart)]);
      const jean = (
        await w.request('GET', `/v1/journeys/purchase-journey/instances?profile=Email:${JEAN}`)
      ).body.items;
      assert.deepEqual(
        jean.map((i: { version: number }) => i.version),
        [2],
      );
      const mails = await w.app.reads.messages('prod', { profileId: jean[0].profileId, limit: 10 });
      assert.equal(mails.filter((m) => m.label === 'Order Confirmation Email').length, 1);

      await w.request('PUT', '/v1/profiles/Email/shopper@luma.example', {
        attributes: { person: { name: { firstName: 'Sam' } } },
      });
      await w.send([lumaEvent('LumaCheckoutEvent_Email', 'shopper@luma.example', cart)]);
      const shopper = (
        await w.request(
          'GET',
          '/v1/journeys/purchase-journey/instances?profile=Email:shopper@luma.example',
        )
      ).body.items;
      assert.deepEqual(
        shopper.map((i: { version: number }) => i.version),
        [1],
        'the live version keeps taking real profiles while v2 is tested',
      );
    } finally {
      await w.close();
    }
  });

  test('an event from test mode for a profile that is not a test profile is refused; so is one while the journey is not in test mode', async () => {
    const w = await apiWorld();
    try {
      const notInTest = await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      assert.equal(notInTest.status, 409);
      assert.match(notInTest.body.error.message, /not in test mode/);
      await liveAndTest(w);
      await w.request('PUT', '/v1/profiles/Email/shopper@luma.example', { attributes: {} });
      const refused = await testEvent(w, 'LumaCheckoutEvent_Email', 'shopper@luma.example');
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /not a test profile/);
    } finally {
      await w.close();
    }
  });
});

describe('test runs', () => {
  test('a run is kept per version after test mode is left, with each step: payload, condition, action request and response (secrets redacted), rendered email, timers', async () => {
    const w = await apiWorld();
    try {
      const TOKEN = 'sk-live-4f9a1c0e7b2d-do-not-show';
      const action = (await w.request('GET', '/v1/actions/LoyaltyService')).body;
      const spec = action.spec ?? action;
      const put = await w.request('PUT', '/v1/actions/LoyaltyService', {
        ...spec,
        auth: { kind: 'bearer', token: TOKEN },
      });
      assert.ok(put.status === 200 || put.status === 201, JSON.stringify(put.body));
      await liveAndTest(w);

      // The timeout path: checkout, no purchase, the test-mode timeout (10 s) fires, then the abandoned-cart email; a purchase then calls the LoyaltyService.
      await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      await w.advance(11_000);
      await testEvent(w, 'LumaPurchaseEvent_Email', JEAN);
      assert.equal(w.loyalty.calls.length, 1);

      const off = await w.request('POST', '/v1/journeys/purchase-journey/test-mode', {
        enabled: false,
      });
      assert.equal(off.body.status, 'draft');
      const list = await w.request('GET', '/v1/journeys/purchase-journey/test-runs?version=2');
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 1, 'the run is kept after test mode is left');
      const [run] = list.body.items;
      assert.equal(run.profile, `Email:${JEAN}`);
      assert.equal(run.version, 2);
      assert.equal(typeof run.startedAt, 'number');
      assert.equal(run.status, 'exited');
      assert.deepEqual(
        (await w.request('GET', '/v1/journeys/purchase-journey/test-runs?version=1')).body.items,
        [],
        'runs are per version',
      );

      const detail = await w.request('GET', `/v1/journeys/purchase-journey/test-runs/${run.id}`);
      assert.equal(detail.status, 200);
      const steps = detail.body.trace.map((s: { entry: { kind: string } }) => s.entry);
      const of = (kind: string) => steps.filter((e: { kind: string }) => e.kind === kind);

      const [entered] = of('event');
      assert.equal(entered.event, 'LumaCheckoutEvent_Email');
      assert.equal(entered.entry, true);
      assert.equal(entered.payload.productListItems[0].name, cart[0]!.name, 'the checkout payload');

      const timeout = of('timer').find((t: { node: string }) => t.node === 'purchase');
      assert.equal(timeout.reason, 'timeout');
      assert.equal(timeout.configured, 'PT1M');
      assert.equal(timeout.shortened, true);
      assert.equal(
        timeout.dueAt - detail.body.trace[0].at,
        10_000,
        'test mode shortened the 1-minute timeout to 10 s',
      );
      assert.ok(
        of('timerFired').some(
          (t: { node: string; reason: string }) => t.node === 'purchase' && t.reason === 'timeout',
        ),
      );

      const [condition] = of('condition');
      assert.equal(condition.node, 'preferred-channel');
      assert.equal(condition.paths[0].value, false, 'Jean is not a mobile app user');
      assert.match(condition.paths[0].expression, /inAudience/);
      assert.equal(condition.taken, 'Others');

      const [email] = of('messageResult');
      assert.equal(email.channel, 'email');
      assert.equal(email.status, 'sent');
      assert.match(email.subject, /Jean/);
      assert.match(email.html, /<html|<table|<p/i);
      assert.ok(email.text.length > 0);

      const [call] = of('actionResult');
      assert.equal(call.action, 'LoyaltyService');
      assert.equal(call.request.method, 'POST');
      assert.match(call.request.url, /^http:\/\/127\.0\.0\.1:\d+\//);
      assert.equal(call.request.headers.authorization, '[redacted]');
      assert.equal(call.request.body.loyaltyId, JEAN);
      assert.equal(call.response.status, 200);
      assert.equal(call.response.body.PromoCode, offerFor(JEAN, 92).PromoCode);
      assert.equal(typeof call.durationMs, 'number');
      assert.equal(call.error, null);
      assert.ok(
        !JSON.stringify(detail.body).includes(TOKEN),
        'the bearer token appears nowhere in the trace',
      );
      assert.ok(!JSON.stringify(detail.body).includes(Buffer.from(TOKEN).toString('base64')));

      assert.equal(
        (await w.request('GET', '/v1/journeys/purchase-journey/test-runs/nope')).status,
        404,
      );
    } finally {
      await w.close();
    }
  });

  test('a run still waiting when test mode is left is listed as ended by it, with its steps so far', async () => {
    const w = await apiWorld();
    try {
      await liveAndTest(w);
      await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      const [waiting] = (await w.request('GET', '/v1/journeys/purchase-journey/test-runs')).body
        .items;
      assert.deepEqual(
        [waiting.status, waiting.current, typeof waiting.dueAt],
        ['active', ['purchase'], 'number'],
      );
      await w.request('POST', '/v1/journeys/purchase-journey/test-mode', { enabled: false });
      const [ended] = (await w.request('GET', '/v1/journeys/purchase-journey/test-runs?version=2'))
        .body.items;
      assert.deepEqual(
        [ended.id, ended.status, ended.exitReason, ended.current],
        [waiting.id, 'exited', 'test_mode_left', []],
      );
      const detail = (await w.request('GET', `/v1/journeys/purchase-journey/test-runs/${ended.id}`))
        .body;
      assert.equal(detail.exitReason, 'test_mode_left');
      assert.deepEqual(
        detail.trace.map((s: { entry: { kind: string } }) => s.entry.kind),
        ['event', 'timer', 'state'],
      );
    } finally {
      await w.close();
    }
  });

  test('a run replays: the same profile and events against the version under test now', async () => {
    const w = await apiWorld();
    try {
      await liveAndTest(w);
      await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      await w.advance(1_000);
      await testEvent(w, 'LumaPurchaseEvent_Email', JEAN);
      const [first] = (await w.request('GET', '/v1/journeys/purchase-journey/test-runs')).body
        .items;
      assert.equal(first.status, 'exited');
      await w.advance(1_000);

      const replay = await w.request(
        'POST',
        `/v1/journeys/purchase-journey/test-runs/${first.id}/replay`,
      );
      assert.equal(replay.status, 202, JSON.stringify(replay.body));
      assert.deepEqual(
        replay.body.results.map((r: { status: string }) => r.status),
        ['accepted', 'accepted'],
      );
      const runs = (await w.request('GET', '/v1/journeys/purchase-journey/test-runs?version=2'))
        .body.items;
      assert.equal(runs.length, 2);
      assert.equal(runs[0].id, replay.body.runId);
      const again = (
        await w.request('GET', `/v1/journeys/purchase-journey/test-runs/${replay.body.runId}`)
      ).body;
      const events = again.trace
        .filter((s: { entry: { kind: string } }) => s.entry.kind === 'event')
        .map((s: { entry: { event: string } }) => s.entry.event);
      assert.deepEqual(events, ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email']);
      assert.equal(w.loyalty.calls.length, 2, 'the replay called the LoyaltyService again');
    } finally {
      await w.close();
    }
  });

  test("a timeout path replays as a timeout path: the purchase that came after the timeout is sent once the replay's timeout fired", async () => {
    const w = await apiWorld();
    try {
      await liveAndTest(w);
      await testEvent(w, 'LumaCheckoutEvent_Email', JEAN);
      await w.advance(11_000);
      await testEvent(w, 'LumaPurchaseEvent_Email', JEAN);
      const [first] = (await w.request('GET', '/v1/journeys/purchase-journey/test-runs')).body
        .items;
      const path = async (id: string) =>
        (await w.request('GET', `/v1/journeys/purchase-journey/test-runs/${id}`)).body.trace
          .filter(
            (s: { entry: { kind: string } }) =>
              !['state', 'actionResult', 'messageResult'].includes(s.entry.kind),
          )
          .map(
            (s: { entry: { kind: string; node?: string } }) =>
              `${s.entry.kind}:${s.entry.node ?? ''}`,
          );
      const original = await path(first.id);

      const replay = await w.request(
        'POST',
        `/v1/journeys/purchase-journey/test-runs/${first.id}/replay`,
      );
      assert.equal(replay.status, 202);
      assert.deepEqual(
        [replay.body.results.length, replay.body.pending],
        [1, 1],
        'the checkout now, the purchase after the timeout',
      );
      await w.advance(11_000);
      for (let i = 0; i < 50 && w.loyalty.calls.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await w.app.engine.settle();
      }
      assert.deepEqual(await path(replay.body.runId), original);
      assert.ok(
        original.includes('condition:preferred-channel') && original.includes('actionCall:loyalty'),
        original.join(' '),
      );
    } finally {
      await w.close();
    }
  });
});
