// The Email Designer's decision block: a block that names a decision policy, drawn per profile at send
// time from each chosen offer's representation for the placement (image from the asset library, text,
// link). Two profiles get two different offers in the Purchase Journey's confirmation email, the
// propositions are recorded with the message, the designer's preview shows the offer for a test
// profile without recording anything, and a fragment holding a decision block decides too.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { cart, lumaEvent, PUBLIC_URL } from '../support/luma.ts';
import { documentToMjml } from '../../src/content/document/to-mjml.ts';
import { mjmlToDocument } from '../../src/content/document/from-code.ts';
import { emailDocumentSchema } from '../../src/model/message-content.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

async function setUpOffers(w: ApiWorld): Promise<void> {
  const ok = async (url: string, body: unknown) => {
    const r = await w.request('POST', url, body);
    assert.ok(r.status < 300, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await ok('/v1/assets', {
    id: 'spring-banner',
    name: 'Spring banner',
    url: 'https://cdn.luma.example/spring-banner.png',
  });
  await ok('/v1/placements', {
    id: 'email-banner',
    name: 'Email banner 600x200',
    channel: 'email',
    contentType: 'imageLink',
  });
  await ok('/v1/offers', {
    id: 'tom-special',
    name: 'Tom special',
    status: 'approved',
    priority: 90,
    tags: ['spring'],
    representations: [
      {
        placement: 'email-banner',
        imageAsset: 'spring-banner',
        text: 'Spring special for Tom: 30% off',
        link: 'https://luma.example/spring/tom',
      },
    ],
    eligibility: {
      rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} == "Tom"',
    },
  });
  await ok('/v1/offers', {
    id: 'everyone',
    name: 'Everyone',
    status: 'approved',
    priority: 10,
    tags: ['spring'],
    representations: [
      {
        placement: 'email-banner',
        text: 'Spring sale: 10% off everything',
        link: 'https://luma.example/spring',
      },
    ],
  });
  await ok('/v1/decision-policies', {
    id: 'spring-sale',
    name: 'Spring sale',
    placement: 'email-banner',
    strategies: [{ collection: { tags: { any: ['spring'] } } }],
  });
}

const decisionBlock = {
  kind: 'decision',
  id: 'spring-offer',
  policy: 'spring-sale',
  align: 'center',
  tracked: true,
  variants: [],
};

describe('the decision block', () => {
  test('a confirmation email with a decision block renders a different offer for two profiles and records the propositions', async () => {
    const w = await apiWorld();
    try {
      await setUpOffers(w);
      const v2 = await w.request('POST', '/v1/journeys/purchase-journey/versions');
      const def = structuredClone(v2.body.definition);
      const confirmation = def.nodes.find(
        (n: { label?: string }) => n.label === 'Order Confirmation Email',
      );
      const order = confirmation.content.document.body.find(
        (s: { id: string }) => s.id === 'order',
      );
      order.columns[0].blocks.push(decisionBlock);
      const put = await w.request('PUT', '/v1/journeys/purchase-journey', def);
      assert.ok(put.status < 300, JSON.stringify(put.body));
      const pub = await w.request('POST', '/v1/journeys/purchase-journey/publish');
      assert.ok(pub.status < 300, JSON.stringify(pub.body));

      const people = ['tom.baker@luma.example', 'jean.dupont@luma.example'];
      for (const email of people) {
        await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
        await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', email, cart));
      }
      const tom = await until(() => w.inbox.list({ to: people[0] })[0]);
      const jean = await until(() => w.inbox.list({ to: people[1] })[0]);
      assert.match(tom.html, /Spring special for Tom: 30% off/);
      assert.match(tom.html, /https:\/\/cdn\.luma\.example\/spring-banner\.png/, 'the asset URL');
      assert.doesNotMatch(tom.html, /Spring sale: 10% off/);
      assert.match(jean.html, /Spring sale: 10% off everything/);
      assert.doesNotMatch(jean.html, /Spring special for Tom|spring-banner\.png/);
      assert.match(tom.text ?? '', /Spring special for Tom/, 'the text part too');

      const recorded = await w.request('GET', '/v1/propositions?policy=spring-sale');
      assert.equal(recorded.body.items.length, 2);
      const byOffer = Object.fromEntries(
        recorded.body.items.map((p: { offerId: string; profileId: string; messageId: string }) => [
          p.offerId,
          p.messageId,
        ]),
      );
      assert.ok(byOffer['tom-special'], 'Tom got his offer, recorded with the message');
      assert.ok(byOffer['everyone'], 'Jean got the general offer, recorded with the message');

      // Tom clicks his offer's (tracked) link: the offer's report counts the click.
      const target = (href: string): string =>
        JSON.parse(Buffer.from(href.split('/t/c/')[1]!.split('.')[1]!, 'base64url').toString()).url;
      const anchors = [...tom.html.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
      const click = anchors.find(
        (h) => h.includes('/t/c/') && target(h) === 'https://luma.example/spring/tom',
      );
      assert.ok(click, 'the offer link is tracked');
      const redirect = await w.server.inject({
        method: 'GET',
        url: click.slice(PUBLIC_URL.length),
      });
      assert.equal(redirect.statusCode, 302);
      let report = await w.request('GET', '/v1/propositions/report?offer=tom-special');
      for (let i = 0; i < 50 && report.body.clicked !== 1; i++) {
        await new Promise((r) => setTimeout(r, 20));
        report = await w.request('GET', '/v1/propositions/report?offer=tom-special');
      }
      assert.equal(report.status, 200, JSON.stringify(report.body));
      assert.deepEqual(
        {
          proposed: report.body.proposed,
          inMessages: report.body.inMessages,
          clicked: report.body.clicked,
        },
        { proposed: 1, inMessages: 1, clicked: 1 },
      );
      assert.deepEqual(report.body.byPolicy, [
        { policy: 'spring-sale', proposed: 1, inMessages: 1, clicked: 1, converted: 0 },
      ]);
      const general = await w.request('GET', '/v1/propositions/report?offer=everyone');
      assert.equal(general.body.proposed, 1);
      assert.equal(general.body.clicked, 0, 'Jean did not click');

      // Conversions: the policy names its conversion event. The purchase that triggered the email
      // came before the proposition (not a conversion); Tom's next purchase, an hour after he
      // clicked, converts the offer last proposed to him. Jean bought nothing more.
      const policy = (await w.request('GET', '/v1/decision-policies/spring-sale')).body.spec;
      const put2 = await w.request('PUT', '/v1/decision-policies/spring-sale', {
        ...policy,
        conversion: { eventType: 'LumaPurchaseEvent_Email', windowHours: 24 },
      });
      assert.ok(put2.status < 300, JSON.stringify(put2.body));
      assert.equal(
        (await w.request('GET', '/v1/propositions/report?offer=tom-special')).body.converted,
        0,
      );
      w.clock.advance(3_600_000);
      await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', people[0]!, cart));
      const converted = await w.request('GET', '/v1/propositions/report?offer=tom-special');
      assert.equal(converted.body.converted, 1, JSON.stringify(converted.body));
      assert.equal(converted.body.byPolicy[0].converted, 1);
      assert.equal(converted.body.clicked, 1);
      const none = await w.request('GET', '/v1/propositions/report?offer=everyone');
      assert.equal(none.body.converted, 0, 'Jean did not buy again');
      // Out of the window (two days later), a purchase converts nothing.
      w.clock.advance(48 * 3_600_000);
      await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', people[1]!, cart));
      assert.equal(
        (await w.request('GET', '/v1/propositions/report?offer=everyone')).body.converted,
        0,
      );
      assert.equal(
        (await w.request('GET', '/v1/propositions/report')).status,
        400,
        'the offer is required',
      );
      assert.equal((await w.request('GET', '/v1/propositions/report?offer=nope')).status, 404);
    } finally {
      await w.close();
    }
  });

  test("the designer's preview with a test profile shows the chosen offer and records nothing; a fragment's decision block decides too", async () => {
    const w = await apiWorld();
    try {
      await setUpOffers(w);
      const content = {
        channel: 'email',
        subject: 'Spring',
        document: {
          body: [
            {
              kind: 'structure',
              id: 's1',
              columns: [{ id: 'c1', blocks: [decisionBlock] }],
            },
          ],
        },
      };
      const tom = await w.request('POST', '/v1/render', {
        content,
        profileId: { namespace: 'Email', id: 'tom.baker@luma.example' },
      });
      assert.equal(tom.status, 200, JSON.stringify(tom.body));
      assert.match(tom.body.html, /Spring special for Tom: 30% off/);
      assert.match(tom.body.html, /href="https:\/\/luma\.example\/spring\/tom"/);
      const jean = await w.request('POST', '/v1/render', {
        content,
        profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
      });
      assert.match(jean.body.html, /Spring sale: 10% off everything/);
      // Inline attributes (no stored profile) decide anonymously.
      const inline = await w.request('POST', '/v1/render', {
        content,
        profile: { person: { name: { firstName: 'Tom' } } },
      });
      assert.match(inline.body.html, /Spring special for Tom/);
      const none = await w.request('GET', '/v1/propositions?policy=spring-sale');
      assert.equal(none.body.items.length, 0, 'a preview records no proposition');

      // A visual fragment with a decision block, used in a message: its policy is decided.
      const frag = await w.request('POST', '/v1/fragments', {
        id: 'spring-offers',
        name: 'Spring offers',
        status: 'live',
        content: { type: 'visual', blocks: [{ ...decisionBlock, id: 'frag-offer' }] },
      });
      assert.ok(frag.status < 300, JSON.stringify(frag.body));
      const withFragment = await w.request('POST', '/v1/render', {
        content: {
          channel: 'email',
          subject: 'Spring',
          document: {
            body: [
              {
                kind: 'structure',
                id: 's1',
                columns: [
                  {
                    id: 'c1',
                    blocks: [
                      { kind: 'fragment', id: 'f', fragmentId: 'spring-offers', variants: [] },
                    ],
                  },
                ],
              },
            ],
          },
        },
        profileId: { namespace: 'Email', id: 'tom.baker@luma.example' },
      });
      assert.equal(withFragment.status, 200, JSON.stringify(withFragment.body));
      assert.match(withFragment.body.html, /Spring special for Tom: 30% off/);
      // And `decide` in an expression fragment's template source.
      const textFrag = await w.request('POST', '/v1/render', {
        content: {
          channel: 'email',
          subject: 'Spring',
          html: '<p>{{#each (decide "spring-sale") as |offer|}}<b>{{offer.name}}</b>{{/each}}</p>',
        },
        profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
      });
      assert.match(textFrag.body.html, /<b>Everyone<\/b>/);
    } finally {
      await w.close();
    }
  });
  test('bad input is named: a decision block without a policy, a decision request of the wrong shape; the OpenAPI document describes the request', async () => {
    const w = await apiWorld();
    try {
      const content = (block: Record<string, unknown>) => ({
        channel: 'email',
        subject: 'Spring',
        document: {
          body: [{ kind: 'structure', id: 's1', columns: [{ id: 'c1', blocks: [block] }] }],
        },
      });
      const noPolicy = await w.request('POST', '/v1/render', {
        content: content({ ...decisionBlock, policy: '' }),
      });
      assert.equal(noPolicy.status, 400, JSON.stringify(noPolicy.body));
      assert.match(JSON.stringify(noPolicy.body), /policy/);
      // A policy that does not exist renders nothing (and says nothing about other sandboxes).
      const unknown = await w.request('POST', '/v1/render', {
        content: content({ ...decisionBlock, policy: 'nope' }),
        profileId: { namespace: 'Email', id: 'tom.baker@luma.example' },
      });
      assert.equal(unknown.status, 200, JSON.stringify(unknown.body));
      assert.doesNotMatch(unknown.body.html, /wm-offer/);
      const wrong = await w.request('POST', '/v1/decisions', { policy: 5, profileId: 'x' });
      assert.equal(wrong.status, 400);
      assert.match(JSON.stringify(wrong.body), /policy/);
      const extra = await w.request('POST', '/v1/decisions', {
        policy: 'spring-sale',
        profileId: 'x',
        explain: true,
      });
      assert.equal(extra.status, 400);
      assert.match(JSON.stringify(extra.body), /explain/);
      const doc = await w.request('GET', '/openapi.json');
      const body = doc.body.paths['/v1/decisions'].post.requestBody.content['application/json'];
      assert.deepEqual(Object.keys(body.schema.properties).sort(), [
        'context',
        'dryRun',
        'identity',
        'policy',
        'profileId',
        'simulate',
      ]);
    } finally {
      await w.close();
    }
  });
});

describe('the decision block in the Code view', () => {
  test('documentToMjml -> mjmlToDocument keeps a decision block as it was', () => {
    const doc = emailDocumentSchema.parse({
      body: [
        {
          kind: 'structure',
          id: 's1',
          columns: [
            {
              id: 'c1',
              blocks: [
                { ...decisionBlock, imageWidth: '280px', padding: '10px 25px' },
                { kind: 'text', id: 't1', content: '<p>After</p>', variants: [] },
              ],
            },
          ],
        },
      ],
    });
    const back = mjmlToDocument(documentToMjml(doc));
    assert.deepEqual(back.notes, []);
    assert.deepEqual(JSON.parse(JSON.stringify(back.document)), JSON.parse(JSON.stringify(doc)));
  });
});
