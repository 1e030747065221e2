// Who uses what: references computed from the parsed objects, transitive through fragments; a
// delete of something in use is refused with the users named; archive retires without breaking.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';

type Item = {
  kind: string;
  key: string;
  name: string;
  version?: number;
  status?: string;
  via: Array<{ kind: string; key: string }>;
  blocking: boolean;
};

describe('references and safe deletes', () => {
  test('the Purchase Journey uses the order-content fragment from its email, and through a fragment inside a fragment', async () => {
    const w = await apiWorld();
    try {
      const direct = await w.request('GET', '/v1/fragments/order-content/references');
      assert.equal(direct.status, 200);
      const pj = (direct.body.items as Item[]).find(
        (i) => i.kind === 'journey' && i.key === 'purchase-journey',
      );
      assert.ok(
        pj,
        `the Purchase Journey uses order-content ({{fragment}} tag in its email): ${JSON.stringify(direct.body)}`,
      );
      assert.deepEqual(
        {
          name: pj.name,
          version: pj.version,
          status: pj.status,
          via: pj.via,
          blocking: pj.blocking,
        },
        { name: 'Purchase Journey', version: 1, status: 'live', via: [], blocking: true },
      );

      // A fragment that shows order-content, used by a template and by a draft journey's email.
      assert.equal(
        (
          await w.request('POST', '/v1/fragments', {
            id: 'order-table',
            name: 'Order table',
            status: 'live',
            content: {
              type: 'expression',
              source:
                "<table>{{#each items as |item|}}{{fragment id='ajo:order-content'}}{{/each}}</table>",
            },
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await w.request('POST', '/v1/fragments', {
            id: 'receipt-block',
            name: 'Receipt block',
            status: 'live',
            content: {
              type: 'visual',
              blocks: [
                {
                  kind: 'text',
                  id: 't',
                  content: "<p>Your receipt</p>{{fragment id='ajo:order-table'}}",
                },
              ],
            },
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await w.request('POST', '/v1/content-templates', {
            id: 'receipt',
            name: 'Receipt',
            channel: 'email',
            content: {
              channel: 'email',
              subject: 'Receipt',
              html: "{{fragment id='ajo:order-table'}}",
            },
          })
        ).status,
        201,
      );
      const receiptJourney = {
        name: 'Receipt Journey',
        start: 'buy',
        nodes: [
          { id: 'buy', kind: 'event', event: 'LumaPurchaseEvent_Email', next: ['mail'] },
          {
            id: 'mail',
            kind: 'email',
            configuration: 'EmailMarketing',
            category: 'transactional',
            content: {
              subject: 'Receipt',
              document: {
                body: [
                  {
                    kind: 'structure',
                    id: 's',
                    columns: [
                      {
                        id: 'c',
                        blocks: [{ kind: 'fragment', id: 'f', fragmentId: 'receipt-block' }],
                      },
                    ],
                  },
                ],
              },
            },
            next: [],
          },
        ],
      };
      assert.equal(
        (await w.request('POST', '/v1/journeys', { id: 'receipt-journey', ...receiptJourney }))
          .status,
        201,
      );

      const all = (await w.request('GET', '/v1/fragments/order-content/references')).body
        .items as Item[];
      const byKey = new Map(all.map((i) => [`${i.kind}:${i.key}`, i] as const));
      assert.deepEqual(byKey.get('fragment:order-table')?.via, []);
      assert.deepEqual(byKey.get('contentTemplate:receipt')?.via, [
        { kind: 'fragment', key: 'order-table' },
      ]);
      assert.deepEqual(byKey.get('fragment:receipt-block')?.via, [
        { kind: 'fragment', key: 'order-table' },
      ]);
      const receipt = byKey.get('journey:receipt-journey');
      assert.ok(receipt, JSON.stringify(all));
      assert.equal(receipt.status, 'draft');
      assert.deepEqual(
        receipt.via,
        [
          { kind: 'fragment', key: 'receipt-block' },
          { kind: 'fragment', key: 'order-table' },
        ],
        'journey > visual fragment > expression fragment > order-content',
      );

      // Audiences read in conditions (inAudience in the expression) and in content variants.
      const mobile = (await w.request('GET', '/v1/audiences/Luma - Mobile App Users/references'))
        .body.items as Item[];
      assert.ok(
        mobile.some((i) => i.kind === 'journey' && i.key === 'purchase-journey'),
        JSON.stringify(mobile),
      );
      const notMobile = (
        await w.request(
          'GET',
          `/v1/audiences/${encodeURIComponent('Not Luma Mobile App Users')}/references`,
        )
      ).body.items as Item[];
      assert.ok(
        notMobile.some((i) => i.kind === 'journey' && i.key === 'purchase-journey'),
        'the banner variant of the confirmation reads it',
      );
      // Event types, actions, channel configurations, assets: used by the journey.
      for (const [route, key] of [
        ['event-types', 'LumaCheckoutEvent_Email'],
        ['actions', 'LoyaltyService'],
        ['channel-configurations', 'EmailMarketing'],
        ['assets', 'luma-logo'],
        ['language-settings', 'Luma_Language_Settings'],
      ] as const) {
        const r = await w.request('GET', `/v1/${route}/${encodeURIComponent(key)}/references`);
        assert.equal(r.status, 200, `${route}/${key}`);
        assert.ok(
          (r.body.items as Item[]).some(
            (i) => i.kind === 'journey' && i.key === 'purchase-journey',
          ),
          `${route}/${key}: ${JSON.stringify(r.body)}`,
        );
      }
      assert.equal((await w.request('GET', '/v1/fragments/nothing-here/references')).status, 404);

      const deps = await w.request('GET', '/v1/journeys/receipt-journey/dependencies');
      assert.deepEqual(
        new Set(
          (deps.body.items as Array<{ kind: string; key: string }>).map(
            (d) => `${d.kind}:${d.key}`,
          ),
        ),
        new Set([
          'eventType:LumaPurchaseEvent_Email',
          'channelConfiguration:EmailMarketing',
          'fragment:receipt-block',
          'fragment:order-table',
          'fragment:order-content',
        ]),
      );
    } finally {
      await w.close();
    }
  });

  test('deleting the rule set used by the live Purchase Journey answers 409 naming the journey; archive keeps it working', async () => {
    const w = await apiWorld();
    try {
      const rules = encodeURIComponent('Luma Marketing - Outgoing messages');
      const refused = await w.request('DELETE', `/v1/rule-sets/${rules}`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'in_use');
      assert.match(refused.body.error.message, /Used by: Purchase Journey v1 \(live\)/);
      assert.deepEqual(
        refused.body.error.details.usedBy.map((u: Item) => [
          u.kind,
          u.key,
          u.name,
          u.version,
          u.status,
        ]),
        [['journey', 'purchase-journey', 'Purchase Journey', 1, 'live']],
      );
      assert.equal((await w.request('GET', `/v1/rule-sets/${rules}`)).status, 200, 'still there');

      const archived = await w.request('POST', `/v1/rule-sets/${rules}/archive`);
      assert.deepEqual([archived.status, archived.body.archived], [200, true]);
      const list = await w.request('GET', '/v1/rule-sets');
      const listed = list.body.items.find(
        (i: { key: string }) => i.key === 'Luma Marketing - Outgoing messages',
      );
      assert.deepEqual(
        [listed.archived, listed.inUse],
        [true, true],
        'archived and in-use objects are marked in lists',
      );
      const refs = await w.request('GET', `/v1/rule-sets/${rules}/references`);
      assert.deepEqual([refs.body.archived, refs.body.inUse], [true, true]);
      // The journey still validates against an archived rule set.
      const j = await w.request('GET', '/v1/journeys/purchase-journey');
      assert.equal(j.body.versions[0].status, 'live');
      assert.equal(
        (await w.request('POST', `/v1/rule-sets/${rules}/unarchive`)).body.archived,
        false,
      );

      // Once nothing uses it, a delete goes through: a new rule set, used by a draft, then not.
      assert.equal(
        (
          await w.request('POST', '/v1/rule-sets', {
            name: 'Spare',
            domain: 'channel',
            status: 'active',
            rules: [{ id: 'r', name: 'R', channels: ['email'], cap: 1, period: 'daily', every: 1 }],
          })
        ).status,
        201,
      );
      const draft = {
        name: 'Spare user',
        start: 'e',
        nodes: [
          { id: 'e', kind: 'event', event: 'LumaCheckoutEvent_Email', next: ['m'] },
          {
            id: 'm',
            kind: 'email',
            configuration: 'EmailMarketing',
            ruleSet: 'Spare',
            content: { subject: 'x', html: 'x' },
            next: [],
          },
        ],
      };
      assert.equal(
        (await w.request('POST', '/v1/journeys', { id: 'spare-user', ...draft })).status,
        201,
      );
      const blocked = await w.request('DELETE', '/v1/rule-sets/Spare');
      assert.equal(blocked.status, 409);
      assert.match(blocked.body.error.message, /Spare user v1 \(draft\)/);
      await w.request('PUT', '/v1/journeys/spare-user', {
        ...draft,
        nodes: [draft.nodes[0], { ...draft.nodes[1], ruleSet: undefined }],
      });
      assert.equal(
        (await w.request('GET', '/v1/rule-sets')).body.items.find(
          (i: { key: string }) => i.key === 'Spare',
        ).inUse,
        false,
      );
      assert.equal((await w.request('DELETE', '/v1/rule-sets/Spare')).status, 204);
    } finally {
      await w.close();
    }
  });
  test('a closed version still holding profiles keeps what it uses in use; once stopped, the delete goes through', async () => {
    const w = await apiWorld();
    try {
      const rules = encodeURIComponent('Luma Marketing - Outgoing messages');
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      );
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      const def = structuredClone(v2.body.definition);
      for (const n of def.nodes) delete n.ruleSet;
      assert.equal((await w.request('PUT', '/v1/journeys/purchase-journey', def)).status, 200);
      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/publish')).body.status,
        'live',
      );

      const refused = await w.request('DELETE', `/v1/rule-sets/${rules}`);
      assert.equal(refused.status, 409, 'Tom is still in v1, which uses the rule set');
      assert.match(refused.body.error.message, /Used by: Purchase Journey v1 \(closed\)/);
      const refs = (await w.request('GET', `/v1/rule-sets/${rules}/references`)).body
        .items as Item[];
      assert.deepEqual(
        refs.map((r) => [r.version, r.status, r.blocking]),
        [[1, 'closed', true]],
        'v2 does not use it',
      );

      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/stop?version=1')).status,
        200,
      );
      assert.deepEqual(
        ((await w.request('GET', `/v1/rule-sets/${rules}/references`)).body.items as Item[]).map(
          (r) => [r.version, r.status, r.blocking],
        ),
        [[1, 'stopped', false]],
      );
      assert.equal((await w.request('DELETE', `/v1/rule-sets/${rules}`)).status, 204);
    } finally {
      await w.close();
    }
  });
});
