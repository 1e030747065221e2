// Profiles and audiences through the API: stitching, erasure, import with a per-row report,
// uploads, size and sample, batch evaluation, and an audience from link clicks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';

const enc = encodeURIComponent;

describe('profiles and audiences over the API', () => {
  test('an event carrying both identities merges two profiles into one, with one journey instance', async () => {
    const w = await apiWorld();
    try {
      await w.request('PUT', '/v1/profiles/Email/kim@luma.example', {
        attributes: { person: { name: { firstName: 'Kim' } }, loyalty: { tier: 'gold' } },
      });
      w.clock.advance(1000);
      await w.request('PUT', '/v1/profiles/Email/kim.work@luma.example', {
        attributes: {
          person: { name: { firstName: 'Kimberly', lastName: 'Lee' } },
          mobileApp: { installed: true },
        },
      });
      const [a] = await w.send([lumaEvent('LumaCheckoutEvent_Email', 'kim@luma.example', cart)]);
      const [b] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'kim.work@luma.example', cart),
      ]);
      const older = a?.status === 'accepted' ? a.profileId : '';
      const newer = b?.status === 'accepted' ? b.profileId : '';
      assert.notEqual(older, newer);

      // The same person, seen with both addresses (XDM identityMap).
      const linking = lumaEvent('LumaCheckoutEvent_Email', 'kim.work@luma.example', cart);
      (linking['payload'] as Record<string, unknown>)['identityMap'] = {
        Email: [{ id: 'Kim@Luma.example' }],
      };
      const [c] = await w.send([linking]);
      assert.equal(
        c?.status === 'accepted' ? c.profileId : '',
        older,
        'the older profile survives',
      );

      const merged = (await w.request('GET', '/v1/profiles/Email/kim.work@luma.example')).body;
      assert.equal(merged.id, older);
      assert.deepEqual(merged.identities.map((i: { id: string }) => i.id).sort(), [
        'kim.work@luma.example',
        'kim@luma.example',
      ]);
      assert.deepEqual(
        merged.attributes.person.name,
        { firstName: 'Kim', lastName: 'Lee' },
        'deep merge, the survivor wins where both have a value',
      );
      assert.equal(merged.attributes.mobileApp.installed, true);
      assert.equal(
        merged.audiences['Luma - Mobile App Users'],
        'realized',
        'memberships re-evaluated on the merged profile',
      );
      const active = merged.journeys.filter(
        (i: { status: string; journeyId: string }) =>
          i.status === 'active' && i.journeyId === 'purchase-journey',
      );
      assert.equal(active.length, 1, 'one instance per journey kept');
      assert.equal(
        await w.app.reads.getProfile('prod', newer),
        null,
        'the absorbed profile is gone',
      );
      assert.equal(
        (await w.app.reads.profileEvents('prod', older, { types: null, since: null })).length,
        3,
        'both histories on the survivor',
      );

      // A profile update linking an identity of another profile merges too.
      await w.request('PUT', '/v1/profiles/ECID/ecid-1', { attributes: { web: { visits: 3 } } });
      const upd = await w.request('PUT', '/v1/profiles/Email/kim@luma.example', {
        identities: [{ namespace: 'ECID', id: 'ecid-1' }],
      });
      assert.equal(upd.status, 200);
      assert.equal(upd.body.attributes.web.visits, 3);
      assert.equal((await w.request('GET', '/v1/profiles/ECID/ecid-1')).body.id, older);
    } finally {
      await w.close();
    }
  });

  test("the event that links two profiles reaches the absorbed profile's instance at once", async () => {
    const w = await apiWorld();
    try {
      await w.request('PUT', '/v1/profiles/Email/lou@luma.example', {
        attributes: { person: { name: { firstName: 'Lou' } } },
      });
      w.clock.advance(1000);
      const [b] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'lou.work@luma.example', cart),
      ]);
      const waiting = b?.status === 'accepted' ? b.profileId : '';
      const purchase = lumaEvent('LumaPurchaseEvent_Email', 'lou@luma.example', cart);
      (purchase['payload'] as Record<string, unknown>)['identityMap'] = {
        Email: [{ id: 'lou.work@luma.example' }],
      };
      const [r] = await w.send([purchase]);
      assert.ok(
        r?.status === 'accepted' && r.journeys.includes('purchase-journey'),
        JSON.stringify(r),
      );
      const lou = (await w.request('GET', '/v1/profiles/Email/lou.work@luma.example')).body;
      assert.notEqual(lou.id, waiting);
      const [inst] = lou.journeys;
      assert.equal(inst.profileId, lou.id);
      assert.deepEqual(
        inst.path.map((p: { node: string }) => p.node).slice(0, 2),
        ['checkout', 'purchase'],
        'the moved instance took the purchase',
      );
    } finally {
      await w.close();
    }
  });

  test('erasure on request removes attributes, events, messages, memberships and instances', async () => {
    const w = await apiWorld();
    try {
      const [r] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
      ]);
      const id = r?.status === 'accepted' ? r.profileId : '';
      await w.advance(61_000);
      const store = w.app.reads;
      assert.equal((await store.messages('prod', { profileId: id, limit: 5 })).length, 1);
      assert.ok((await store.profileMemberships('prod', id)).length > 0);
      const del = await w.request('DELETE', '/v1/profiles/Email/jean.dupont@luma.example');
      assert.deepEqual(del.body, { profileId: id, erased: true });
      assert.equal(
        (await w.request('GET', '/v1/profiles/Email/jean.dupont@luma.example')).status,
        404,
      );
      assert.equal(await store.getProfile('prod', id), null);
      assert.equal(await store.findProfileId('prod', 'Email', 'jean.dupont@luma.example'), null);
      assert.deepEqual(await store.profileEvents('prod', id, { types: null, since: null }), []);
      assert.deepEqual(await store.messages('prod', { profileId: id, limit: 5 }), []);
      assert.deepEqual(await store.profileMemberships('prod', id), []);
      assert.deepEqual(await store.instances('prod', { profileId: id, limit: 5 }), []);
      assert.equal(
        (await w.request('DELETE', '/v1/profiles/Email/jean.dupont@luma.example')).status,
        404,
      );
    } finally {
      await w.close();
    }
  });

  test('import from CSV and JSON lines: good rows land (and qualify), bad rows are reported by line', async () => {
    const w = await apiWorld();
    try {
      const csv = [
        'namespace,id,person.name.firstName,loyalty.tier,loyalty.points,mobileApp.installed',
        'Email,lea@luma.example,Léa,blue,120,true',
        'Email,"max@luma.example",Max,gold,80,false',
        'Nowhere,x@luma.example,X,blue,1,true',
        'Email,short@luma.example,Short',
        'Email,,NoId,blue,1,true',
      ].join('\n');
      const r = await w.request('POST', '/v1/profiles/import?format=csv', csv, {
        'content-type': 'text/csv',
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.total, 5);
      assert.equal(r.body.imported, 2);
      assert.deepEqual(
        r.body.errors.map((e: { line: number }) => e.line),
        [4, 5, 6],
        'by line',
      );
      assert.deepEqual(r.body.errors[0].issues[0], {
        path: 'namespace',
        message: 'unknown namespace',
        expected: 'Email | Phone | ECID | CRMID',
        received: 'Nowhere',
      });
      assert.ok(
        r.body.errors
          .find((e: { line: number }) => e.line === 5)
          .issues[0].message.includes('expected 6 fields'),
      );
      const lea = (await w.request('GET', '/v1/profiles/Email/lea@luma.example')).body;
      assert.deepEqual(lea.attributes, {
        person: { name: { firstName: 'Léa' } },
        loyalty: { tier: 'blue', points: 120 },
        mobileApp: { installed: true },
      });
      assert.equal(lea.audiences['Luma - Blue Luma+ Members'], 'realized');

      const jsonl = [
        '{"namespace":"Email","id":"ola@luma.example","attributes":{"loyalty":{"tier":"blue"}}}',
        'not json',
        '{"namespace":"Email"}',
        '',
      ].join('\n');
      const j = await w.request('POST', '/v1/profiles/import', jsonl, {
        'content-type': 'application/x-ndjson',
      });
      assert.deepEqual([j.body.total, j.body.imported, j.body.failed], [3, 1, 2]);
      assert.deepEqual(
        j.body.errors.map((e: { line: number; issues: Array<{ path: string }> }) => [
          e.line,
          e.issues[0]!.path,
        ]),
        [
          [2, '(line)'],
          [3, 'id'],
        ],
      );
      const size = (
        await w.request('GET', `/v1/audiences/${enc('Luma - Blue Luma+ Members')}/size?sample=2`)
      ).body;
      assert.equal(size.realized, 4, 'Ana, Sarah, Léa, Ola');
      assert.equal(size.sample.length, 2);
      // Counts alone (what `waymark audiences list` asks for): no sample is drawn.
      const counts = (
        await w.request('GET', `/v1/audiences/${enc('Luma - Blue Luma+ Members')}/size?sample=0`)
      ).body;
      assert.deepEqual([counts.realized, counts.sample], [4, []]);
      const refused = await w.request(
        'GET',
        `/v1/audiences/${enc('Luma - Blue Luma+ Members')}/size?sample=-1`,
      );
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body.error.issues, [
        {
          path: 'query.sample',
          message: 'must be an integer from 0 to 1000',
          expected: 'integer',
          received: '-1',
        },
      ]);
    } finally {
      await w.close();
    }
  });

  test('an audience from link clicks, uploads that replace or append, batch evaluation and the retention setting', async () => {
    const w = await apiWorld();
    try {
      const ids: string[] = [];
      for (const email of [
        'ana.garcia@luma.example',
        'jean.dupont@luma.example',
        'tom.baker@luma.example',
      ])
        ids.push((await w.request('GET', `/v1/profiles/Email/${email}`)).body.id);
      const click = (profileId: string, url: string) =>
        w.app.feedback.record({
          kind: 'click',
          sandbox: 'prod',
          messageId: `m-${profileId}`,
          profileId,
          journeyId: 'purchase-journey',
          journeyVersion: 1,
          activityId: 'confirmation',
          url,
          linkId: url.endsWith('app') ? 'l2' : 'l1',
        });
      await click(ids[0]!, 'https://luma.example/loyalty');
      await click(ids[1]!, 'https://luma.example/loyalty');
      await click(ids[2]!, 'https://luma.example/app');
      const created = await w.request('POST', '/v1/audiences/from-feedback', {
        name: 'Clicked loyalty',
        action: 'clicked',
        journeyId: 'purchase-journey',
        link: 'https://luma.example/loyalty',
        namespace: 'Email',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual([created.body.run.size, created.body.run.realized], [2, 2]);
      const members = (
        await w.request('GET', `/v1/audiences/${enc('Clicked loyalty')}/members?status=realized`)
      ).body.items
        .map((m: { profileId: string }) => m.profileId)
        .sort();
      assert.deepEqual(members, [ids[0], ids[1]].sort());
      // Streaming from now on: Tom's click on the same link qualifies him at once.
      await click(ids[2]!, 'https://luma.example/loyalty');
      assert.equal(
        (await w.request('GET', `/v1/audiences/${enc('Clicked loyalty')}/size`)).body.realized,
        3,
      );

      await w.request('POST', '/v1/audiences', {
        name: 'VIP list',
        origin: 'uploaded',
        namespace: 'Email',
      });
      const up1 = await w.request(
        'POST',
        `/v1/audiences/${enc('VIP list')}/upload?mode=append`,
        'id\nana.garcia@luma.example\nnew.vip@luma.example\n"unterminated\n',
        { 'content-type': 'text/csv' },
      );
      assert.deepEqual(
        [up1.body.realized, up1.body.createdProfiles, up1.body.errors.length],
        [2, 1, 1],
      );
      const up2 = await w.request(
        'POST',
        `/v1/audiences/${enc('VIP list')}/upload?mode=replace`,
        'id\ntom.baker@luma.example\n',
        { 'content-type': 'text/csv' },
      );
      assert.deepEqual([up2.body.realized, up2.body.exited], [1, 2]);
      const up3 = await w.request(
        'POST',
        `/v1/audiences/${enc('VIP list')}/upload?mode=append&createProfiles=false`,
        'id\n\nnobody@luma.example\n',
        { 'content-type': 'text/csv' },
      );
      assert.deepEqual(up3.body.errors, [
        { line: 3, message: 'no profile has the identity Email:nobody@luma.example' },
      ]);
      const vip = (
        await w.request('GET', '/v1/profiles/Email/tom.baker@luma.example/audiences')
      ).body.items.find((i: { audience: string }) => i.audience === 'VIP list');
      assert.equal(vip.status, 'realized');

      await w.request('POST', '/v1/audiences', {
        name: 'Silver',
        origin: 'batch',
        definition: { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'silver' },
      });
      assert.equal(
        (await w.request('GET', '/v1/audiences/Silver/size')).body.realized,
        0,
        'batch audiences wait for a run',
      );
      const run = await w.request('POST', '/v1/audiences/Silver/evaluate');
      assert.deepEqual([run.body.size, run.body.sample.length], [1, 1]);
      const sched = await w.request('PUT', '/v1/audiences/Silver/schedule', { everySeconds: 3600 });
      assert.equal(sched.body.schedule.everySeconds, 3600);
      const jobs = (await w.request('GET', '/v1/audience-jobs')).body.items;
      assert.ok(
        jobs.some(
          (j: { id: string; kind: string; everyMs: number }) =>
            j.id === 'batch:Silver' && j.kind === 'batch' && j.everyMs === 3_600_000,
        ),
        JSON.stringify(jobs),
      );
      await w.request('PUT', '/v1/profiles/Email/tom.baker@luma.example', {
        attributes: { loyalty: { tier: 'silver' } },
      });
      assert.equal(
        (await w.request('GET', '/v1/audiences/Silver/size')).body.realized,
        1,
        'not streaming',
      );
      w.clock.advance(3_600_000);
      await w.app.engine.settle();
      assert.equal(
        (await w.request('GET', '/v1/audiences/Silver/size')).body.realized,
        2,
        'the scheduled run took Tom',
      );

      const before = (
        await w.app.reads.profileEvents('prod', ids[0]!, { types: null, since: null })
      ).length;
      assert.ok(before > 0);
      w.clock.advance(3 * 86_400_000);
      const ret = await w.request('PUT', '/v1/profile-settings', { eventRetentionDays: 2 });
      assert.ok(ret.body.purged >= before);
      assert.deepEqual((await w.request('GET', '/v1/profile-settings')).body, {
        eventRetentionDays: 2,
      });
      assert.equal(
        (await w.app.reads.profileEvents('prod', ids[0]!, { types: null, since: null })).length,
        0,
      );
    } finally {
      await w.close();
    }
  });
});
