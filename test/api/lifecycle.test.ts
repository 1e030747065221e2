// Journey lifecycle through the API: versions, close, stop, pause and resume, the instance lifetime,
// custom-action errors, profiles and packages.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

const DAY = 86_400_000;

describe('journey lifecycle', () => {
  test('publishing a new version closes the previous one; in-flight profiles stay on their version', async () => {
    const w = await apiWorld();
    try {
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      );
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      assert.equal(v2.status, 201);
      assert.equal(v2.body.version, 2);
      const def = structuredClone(v2.body.definition);
      def.nodes.find((n: { id: string }) => n.id === 'purchase').timeout.duration = 'PT5M';
      assert.equal((await w.request('PUT', '/v1/journeys/purchase-journey', def)).status, 200);
      const changedEntry = structuredClone(def);
      changedEntry.reentrance = { allowed: false, waitSeconds: 300 };
      await w.request('PUT', '/v1/journeys/purchase-journey', changedEntry);
      const refused = await w.request('POST', '/v1/journeys/purchase-journey/publish');
      assert.equal(refused.status, 400);
      assert.match(JSON.stringify(refused.body.error.issues), /re-entrance rule cannot change/);
      await w.request('PUT', '/v1/journeys/purchase-journey', def);
      const published = await w.request('POST', '/v1/journeys/purchase-journey/publish');
      assert.equal(published.body.status, 'live');
      const j = await w.request('GET', '/v1/journeys/purchase-journey');
      assert.deepEqual(
        j.body.versions.map((v: { status: string }) => v.status),
        ['closed', 'live'],
      );

      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      );
      await w.advance(61_000);
      const tom = await w.request(
        'GET',
        '/v1/journeys/purchase-journey/instances?profile=Email:tom.baker@luma.example',
      );
      const jean = await w.request(
        'GET',
        '/v1/journeys/purchase-journey/instances?profile=Email:JEAN.DUPONT@luma.example',
      );
      assert.equal(tom.body.items[0].version, 1);
      assert.equal(jean.body.items[0].version, 2);
      assert.equal(
        tom.body.items[0].waiting.nodes[0],
        'purchase-again',
        'v1 timed out after 1 minute',
      );
      assert.equal(jean.body.items[0].waiting.nodes[0], 'purchase', 'v2 waits 5 minutes');
    } finally {
      await w.close();
    }
  });

  test('stop makes everyone exit now; closed and stopped journeys take no new entries', async () => {
    const w = await apiWorld();
    try {
      await w.request('POST', '/v1/events', [
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
        lumaEvent('LumaCheckoutEvent_Email', 'ana.garcia@luma.example', cart),
      ]);
      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/close')).body.status,
        'closed',
      );
      const late = await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      );
      assert.deepEqual(late.body.results[0].journeys, []);
      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/stop')).body.status,
        'stopped',
      );
      const instances = await w.request('GET', '/v1/journeys/purchase-journey/instances');
      assert.deepEqual(
        instances.body.items.map(
          (i: { status: string; exitReason: string }) => `${i.status}:${i.exitReason}`,
        ),
        ['exited:journey_stopped', 'exited:journey_stopped'],
      );
      await w.advance(2 * 60_000);
      assert.equal(
        (await w.request('GET', '/v1/messages')).body.items.length,
        0,
        'no timeout fires after stop',
      );
      assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/resume')).status, 409);
    } finally {
      await w.close();
    }
  });

  test('pause holds timers until resume; events for paused instances are discarded', async () => {
    const w = await apiWorld();
    try {
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      );
      await w.request('POST', '/v1/journeys/purchase-journey/pause');
      await w.advance(3 * 60_000);
      assert.equal((await w.request('GET', '/v1/messages')).body.items.length, 0);
      const ignored = await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      );
      assert.deepEqual(ignored.body.results[0].journeys, [], 'no entries while paused');
      await w.request('POST', '/v1/journeys/purchase-journey/resume');
      await w.advance(2_000);
      const messages = (await w.request('GET', '/v1/messages')).body.items;
      assert.deepEqual(
        messages.map((m: { label: string }) => m.label),
        ['Abandoned Cart Email'],
      );
    } finally {
      await w.close();
    }
  });

  test('a profile waiting beyond 91 days is removed without counting an exit', async () => {
    const w = await apiWorld();
    try {
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      );
      await w.advance(61_000);
      w.clock.advance(91 * DAY);
      await w.app.engine.settle();
      const [inst] = (await w.request('GET', '/v1/journeys/purchase-journey/instances')).body.items;
      assert.equal(inst.exitReason, 'instance_timeout');
      const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
      assert.equal(report.body.total.exited, 0);
    } finally {
      await w.close();
    }
  });

  test('a failing custom action without an error path stops the profile with the error recorded', async () => {
    const w = await apiWorld();
    try {
      w.loyalty.failNext(10, 503);
      await w.request('POST', '/v1/events', [
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
        lumaEvent('LumaPurchaseEvent_Email', 'tom.baker@luma.example', cart),
      ]);
      for (
        let i = 0;
        i < 50 &&
        (await w.request('GET', '/v1/journeys/purchase-journey/instances')).body.items[0].status ===
          'active';
        i++
      )
        await new Promise((r) => setTimeout(r, 100));
      const [inst] = (await w.request('GET', '/v1/journeys/purchase-journey/instances')).body.items;
      assert.equal(inst.status, 'exited');
      assert.equal(inst.exitReason, 'error');
      assert.equal(inst.lastError.node, 'loyalty');
      assert.equal(inst.lastError.code, 'http_503');
      assert.equal(w.loyalty.calls.length, 4, 'the first call and 3 retries');
      assert.equal((await w.request('GET', '/v1/messages')).body.items.length, 0);
      const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
      assert.equal(
        report.body.versions[0].activities.find((a: { id: string }) => a.id === 'loyalty').errors,
        1,
      );
    } finally {
      await w.close();
    }
  });

  test('profiles: PUT deep-merges attributes; GET shows journeys; packages export what apply reads', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'staging');
    await createSandbox(w, 'empty');
    try {
      const put = await w.request('PUT', '/v1/profiles/Email/new.customer@luma.example', {
        attributes: { person: { name: { firstName: 'Nina' } }, preferredLanguage: 'en' },
      });
      assert.equal(put.status, 200);
      await w.request('PUT', '/v1/profiles/Email/new.customer@luma.example', {
        attributes: { person: { name: { lastName: 'Ng' } } },
      });
      const got = await w.request('GET', '/v1/profiles/Email/New.Customer@luma.example');
      assert.deepEqual(got.body.attributes.person.name, { firstName: 'Nina', lastName: 'Ng' });
      const bad = await w.request('PUT', '/v1/profiles/Email/x@luma.example', {
        attributes: 'nope',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.issues[0].path, 'attributes');
      assert.equal((await w.request('GET', '/v1/profiles/Nope/x')).status, 404);

      const exported = await w.request('GET', '/v1/packages/export');
      assert.equal(exported.body.format, 'waymark.package/v1');
      const reapplied = await w.request('POST', '/v1/packages/apply', exported.body, {
        'x-sandbox-name': 'staging',
      });
      assert.equal(reapplied.status, 200, JSON.stringify(reapplied.body).slice(0, 1500));
      assert.ok(
        reapplied.body.objects.some(
          (o: { kind: string; status: string }) => o.kind === 'journey' && o.status === 'published',
        ),
      );
      // Campaigns travel as their definitions: the live one is activated again, the draft stays one.
      const campaigns = (reapplied.body.objects as Array<{ kind: string; status: string }>).filter(
        (o) => o.kind === 'campaign',
      );
      assert.deepEqual(campaigns.map((o) => o.status).sort(), ['created', 'published']);
      const again = await w.request('POST', '/v1/packages/apply', exported.body, {
        'x-sandbox-name': 'staging',
      });
      assert.ok(
        again.body.objects
          .filter((o: { kind: string }) => o.kind !== 'journey')
          .every((o: { status: string }) => o.status === 'unchanged'),
        'applying twice changes nothing',
      );
      const broken = await w.request(
        'POST',
        '/v1/packages/apply',
        {
          ...exported.body,
          objects: [...exported.body.objects, { kind: 'eventType', spec: { name: 'X' } }],
        },
        { 'x-sandbox-name': 'empty' },
      );
      assert.equal(broken.status, 400);
      assert.equal(
        (await w.request('GET', '/v1/event-types', undefined, { 'x-sandbox-name': 'empty' })).body
          .items.length,
        0,
        'nothing applied',
      );
    } finally {
      await w.close();
    }
  });
});

describe('test mode', () => {
  test('only test profiles enter, waits and timeouts last the test wait, and leaving test mode clears the runs', async () => {
    const w = await apiWorld();
    try {
      await w.request('POST', '/v1/journeys/purchase-journey/close');
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      assert.equal(v2.status, 201);
      const on = await w.request('POST', '/v1/journeys/purchase-journey/test-mode', {
        enabled: true,
      });
      assert.equal(on.body.status, 'test');
      assert.equal(
        (await w.request('PUT', '/v1/journeys/purchase-journey', v2.body.definition)).status,
        409,
        'no edits while in test mode',
      );

      await w.request('PUT', '/v1/profiles/Email/not.a.tester@luma.example', {
        attributes: { person: { name: { firstName: 'Nat' } } },
      });
      const ignored = await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'not.a.tester@luma.example', cart),
      );
      assert.deepEqual(ignored.body.results[0].journeys, []);
      const tester = await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      );
      assert.deepEqual(tester.body.results[0].journeys, ['purchase-journey']);
      await w.advance(11_000);
      const [instance] = (
        await w.request(
          'GET',
          '/v1/journeys/purchase-journey/instances?profile=Email:jean.dupont@luma.example',
        )
      ).body.items;
      assert.equal(instance.version, 2);
      assert.deepEqual(
        instance.path.map((p: { node: string }) => p.node).slice(0, 4),
        ['checkout', 'purchase', 'preferred-channel', 'abandoned-email'],
        'the 1-minute timeout lasted 10 seconds',
      );

      const off = await w.request('POST', '/v1/journeys/purchase-journey/test-mode', {
        enabled: false,
      });
      assert.equal(off.body.status, 'draft');
      assert.equal(
        (await w.request('GET', '/v1/journeys/purchase-journey/instances')).body.items.length,
        0,
      );
      const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
      assert.equal(report.body.versions[1].journey.entered, 0);
    } finally {
      await w.close();
    }
  });
});

describe('content template locks', () => {
  test('an edit to a locked area of a message made from a template is refused; an editable field passes', async () => {
    const w = await apiWorld();
    try {
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      const def = structuredClone(v2.body.definition);
      const email = def.nodes.find((n: { id: string }) => n.id === 'abandoned-email');
      email.content.subject = '{{profile.person.name.firstName}}, your cart misses you';
      assert.equal(
        (await w.request('PUT', '/v1/journeys/purchase-journey', def)).status,
        200,
        'the subject is editable',
      );
      email.content.document.body[0].columns[0].blocks[0].alt = 'Another logo';
      const refused = await w.request('PUT', '/v1/journeys/purchase-journey', def);
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.issues[0].message, /Abandoned Cart Email/);
    } finally {
      await w.close();
    }
  });
});

describe('audience definitions', () => {
  test('an audience that reads an unknown audience, or closes a loop, is refused with the field at fault', async () => {
    const w = await apiWorld();
    try {
      const unknown = await w.request('POST', '/v1/audiences', {
        name: 'Loyal app users',
        origin: 'streaming',
        definition: {
          kind: 'and',
          rules: [
            { kind: 'audience', name: 'Nope' },
            { kind: 'audience', name: 'Luma - Mobile App Users' },
          ],
        },
      });
      assert.equal(unknown.status, 400);
      assert.match(JSON.stringify(unknown.body.error.issues), /Nope/);
      const a = await w.request('POST', '/v1/audiences', {
        name: 'A',
        origin: 'streaming',
        definition: { kind: 'audience', name: 'Luma - Mobile App Users' },
      });
      assert.equal(a.status, 201);
      const b = await w.request('POST', '/v1/audiences', {
        name: 'B',
        origin: 'streaming',
        definition: { kind: 'audience', name: 'A' },
      });
      assert.equal(b.status, 201);
      const loop = await w.request('PUT', '/v1/audiences/A', {
        name: 'A',
        origin: 'streaming',
        definition: { kind: 'audience', name: 'B' },
      });
      assert.equal(loop.status, 400);
      assert.match(JSON.stringify(loop.body.error), /cycle|loop/i);
      const pkg = {
        format: 'waymark.package/v1',
        name: 'order',
        objects: [
          {
            kind: 'audience',
            spec: {
              name: 'D',
              origin: 'streaming',
              definition: { kind: 'not', rule: { kind: 'audience', name: 'C' } },
            },
          },
          {
            kind: 'audience',
            spec: {
              name: 'C',
              origin: 'streaming',
              definition: { kind: 'attribute', path: 'vip', op: 'isTrue' },
            },
          },
        ],
      };
      assert.equal(
        (await w.request('POST', '/v1/packages/apply', pkg)).status,
        200,
        'a package may list an audience before the one it reads',
      );
    } finally {
      await w.close();
    }
  });
});

describe('profile schema', () => {
  test('the sandbox profile schema types profile fields in journeys and completes them in the editor', async () => {
    const w = await apiWorld();
    try {
      const schema = (await w.request('GET', '/v1/profile-schemas/profile')).body.spec.schema;
      const typed = '#{ExperiencePlatform.ProfileFieldGroup.profile.';
      const completion = await w.request('POST', '/v1/expressions/complete', {
        expression: typed,
        cursor: typed.length,
        scope: { events: {}, actions: {}, profile: schema },
      });
      assert.ok(
        completion.body.completions.some((c: { label: string }) => c.label === 'loyalty'),
        JSON.stringify(completion.body).slice(0, 300),
      );
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      const def = structuredClone(v2.body.definition);
      def.nodes.find((n: { id: string }) => n.id === 'preferred-channel').paths[0].expression =
        '#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.points} == "many"';
      await w.request('PUT', '/v1/journeys/purchase-journey', def);
      const check = await w.request('POST', '/v1/journeys/purchase-journey/validate');
      assert.equal(check.body.valid, true, '== does no type check, as documented');
      def.nodes.find((n: { id: string }) => n.id === 'preferred-channel').paths[0].expression =
        '#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.points} > "many"';
      await w.request('PUT', '/v1/journeys/purchase-journey', def);
      const bad = await w.request('POST', '/v1/journeys/purchase-journey/validate');
      assert.equal(
        bad.body.valid,
        false,
        'ordering an integer against a string is refused: the schema typed the field',
      );
      def.nodes.find((n: { id: string }) => n.id === 'preferred-channel').paths[0].expression =
        '#{ExperiencePlatform.ProfileFieldGroup.profile.somethingNew} == "x"';
      await w.request('PUT', '/v1/journeys/purchase-journey', def);
      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/validate')).body.valid,
        true,
        'fields the schema does not list stay usable',
      );
    } finally {
      await w.close();
    }
  });
});
