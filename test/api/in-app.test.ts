// The in-app and code-based channels end to end on the virtual clock, through the client routes the
// site's SDK calls (docs/concepts/in-app.md): Tom's checkout puts a personalized modal in his
// in-app inbox, shown on the cart page but not at app launch, once; a display is feedback "opened"
// that a reaction activity takes; Sarah's expires; Ana's is withdrawn when she leaves the journey.
// A code-based activity serves rendered HTML for a surface and a later one replaces it; a JSON
// payload that does not render to JSON fails clearly. A journey's code-based experience is
// withdrawn when the profile leaves the journey, a campaign's for the same surface stays. An in-app campaign with an offer decision in
// its body gives Ana and Sarah different offers (propositions recorded). Bad input and keys are refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JourneyDefinitionInput } from '../../src/model/journey.ts';
import { decisionSnippet } from '../../src/content/decisions.ts';
import {
  experienceQueryAnswer,
  inAppInteractionAnswer,
  inAppQueryAnswer,
} from '../../src/isomorphic/api/in-app.ts';
import { messageListAnswer } from '../../src/isomorphic/api/messages.ts';
import { journeyReportSchema } from '../../src/isomorphic/api/reports.ts';
import { conforms } from '../support/conforms.ts';
import { nodeCounts, pathOf, publishJourney, putEmailEventType } from '../support/journeys.ts';
import { putNamedProfile } from '../support/profiles.ts';
import { apiWorld, ROLE_KEYS, type ApiWorld } from '../support/server.ts';

const MINUTE = 60_000;
const HERO = 'web://luma.example/demo/luma#hero';

const eventType = (w: ApiWorld, name: string) =>
  putEmailEventType(w, name, { total: { type: 'number' } });

async function ok(w: ApiWorld, method: 'POST' | 'PUT', url: string, body?: unknown) {
  const r = await w.request(method, url, body);
  assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

const publish = publishJourney;

const query = (w: ApiWorld, id: string, trigger: unknown) =>
  w.request('POST', '/v1/inapp/messages/query', { namespace: 'Email', id, trigger });
const cartPage = { kind: 'pageView', page: '/demo/luma/cart' };

describe('in-app and code-based channels', () => {
  test("Tom's checkout puts a personalized modal in his inbox: trigger, frequency, reaction on opened, expiry and withdrawal", async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'inApp', name: 'LumaWeb' });
      await eventType(w, 'InAppCheckout');
      await eventType(w, 'InAppPurchase');
      await publish(w, 'cart-modal', {
        name: 'Cart modal',
        start: 'start',
        exitCriteria: [{ event: 'InAppPurchase' }],
        nodes: [
          { id: 'start', kind: 'event', event: 'InAppCheckout', next: ['modal'] },
          {
            id: 'modal',
            kind: 'inApp',
            label: 'Cart modal',
            configuration: 'LumaWeb',
            category: 'marketing',
            content: {
              layout: 'modal',
              title: 'Still thinking about it, {{profile.person.name.firstName}}?',
              body: 'Your cart is waiting.\nIt is saved for a day.',
              imageUrl: 'https://luma.example/img/cart.png',
              buttons: [
                { id: 'go', label: 'Back to my cart', action: 'url', url: '/demo/luma/cart' },
                { id: 'close', label: 'Not now', action: 'dismiss' },
              ],
              trigger: { kind: 'pageView', page: '/demo/luma/*' },
              frequency: { kind: 'once' },
              expiresAfterHours: 1,
            },
            next: ['seen'],
          },
          {
            id: 'seen',
            kind: 'reaction',
            message: 'modal',
            reaction: 'opened',
            next: ['linger'],
            timeout: { duration: 'PT2H', next: ['late'] },
          },
          { id: 'linger', kind: 'wait', duration: 'P1D', next: ['thanks'] },
          { id: 'thanks', kind: 'end' },
          { id: 'late', kind: 'end' },
        ],
      });
      const people = [
        ['tom@luma.example', 'Tom'],
        ['sarah.m@luma.example', 'Sarah'],
        ['ana.g@luma.example', 'Ana'],
      ] as const;
      for (const [email, name] of people) await putNamedProfile(w, email, name);
      await w.send(
        people.map(([email], i) => ({ id: `c${i}`, type: 'InAppCheckout', payload: { email } })),
      );
      await w.advance(2000);

      // On the cart page Tom gets his modal, rendered for him; not at app launch, not elsewhere.
      const shown = await query(w, 'tom@luma.example', cartPage);
      conforms(inAppQueryAnswer, shown, 'POST /v1/inapp/messages/query');
      assert.equal(shown.body.items.length, 1);
      const [item] = shown.body.items;
      assert.equal(item.title, 'Still thinking about it, Tom?');
      assert.equal(item.body, 'Your cart is waiting.\nIt is saved for a day.');
      assert.equal(item.layout, 'modal');
      assert.equal(item.imageUrl, 'https://luma.example/img/cart.png');
      assert.deepEqual(item.buttons[0], {
        id: 'go',
        label: 'Back to my cart',
        action: 'url',
        url: '/demo/luma/cart',
      });
      assert.deepEqual((await query(w, 'tom@luma.example', { kind: 'appLaunch' })).body, {
        items: [],
      });
      assert.deepEqual(
        (await query(w, 'tom@luma.example', { kind: 'pageView', page: '/shop/cart' })).body,
        { items: [] },
      );
      const [sent] = await w.app.reads.messages('prod', { channel: 'inApp', limit: 10 });
      assert.equal(sent?.status, 'sent', 'message feedback sent');

      // The SDK shows it: displayed is feedback "opened"; the reaction takes its path; once is once.
      const displayed = await w.request('POST', '/v1/inapp/interactions', {
        namespace: 'Email',
        id: 'tom@luma.example',
        messageId: item.messageId,
        interaction: 'displayed',
      });
      assert.equal(displayed.status, 202, JSON.stringify(displayed.body));
      conforms(
        inAppInteractionAnswer,
        { ...displayed, status: 200 },
        'POST /v1/inapp/interactions',
      );
      const clicked = await w.request('POST', '/v1/inapp/interactions', {
        namespace: 'Email',
        id: 'tom@luma.example',
        messageId: item.messageId,
        interaction: 'clicked',
        button: 'go',
      });
      assert.equal(clicked.status, 202);
      await w.advance(2000);
      assert.deepEqual(await pathOf(w, 'tom@luma.example', 'cart-modal'), [
        'start:InAppCheckout',
        'modal:sent',
        'seen:opened',
        'linger:undefined',
      ]);
      assert.deepEqual((await query(w, 'tom@luma.example', cartPage)).body, { items: [] });
      const count = await nodeCounts(w, 'cart-modal', 'modal');
      assert.equal(count('opened'), 1);
      assert.equal(count('clicked'), 1);

      // The delivery log and the report answer their schemas with the new channel and kind.
      conforms(
        messageListAnswer,
        await w.request('GET', '/v1/messages?channel=inApp'),
        'GET /v1/messages',
      );
      const report = await w.request('GET', '/v1/journeys/cart-modal/report');
      conforms(journeyReportSchema, report, 'GET /v1/journeys/:id/report');

      // Ana buys: she leaves the journey and its in-app message leaves her inbox.
      assert.equal((await query(w, 'ana.g@luma.example', cartPage)).body.items.length, 1);
      await w.send([{ id: 'p1', type: 'InAppPurchase', payload: { email: 'ana.g@luma.example' } }]);
      await w.advance(2000);
      assert.deepEqual((await query(w, 'ana.g@luma.example', cartPage)).body, { items: [] });

      // Sarah's expires after an hour, while she is still waiting in the journey.
      await w.advance(30 * MINUTE);
      assert.equal((await query(w, 'sarah.m@luma.example', cartPage)).body.items.length, 1);
      await w.advance(31 * MINUTE);
      assert.deepEqual((await query(w, 'sarah.m@luma.example', cartPage)).body, { items: [] });
      // The retention purge deletes the expired items (Tom's and Sarah's; Ana's was withdrawn).
      assert.equal((await w.app.retention.runOnce()).inAppExpired, 2);
      assert.equal((await w.app.retention.runOnce()).inAppExpired, 0);
      assert.deepEqual(await pathOf(w, 'sarah.m@luma.example', 'cart-modal'), [
        'start:InAppCheckout',
        'modal:sent',
        'seen:undefined',
      ]);
    } finally {
      await w.close();
    }
  });

  test('a code-based activity serves the rendered HTML for its surface, a later one replaces it, bad JSON fails clearly', async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'code', name: 'LumaWebCode' });
      await eventType(w, 'HeroVisit');
      const code = (payload: string, format: 'html' | 'json', next: string[]) => ({
        kind: 'codeBased' as const,
        configuration: 'LumaWebCode',
        category: 'marketing' as const,
        content: { surface: HERO, format, payload },
        next,
      });
      await publish(w, 'hero', {
        name: 'Hero',
        start: 'start',
        nodes: [
          { id: 'start', kind: 'event', event: 'HeroVisit', next: ['first'] },
          {
            id: 'first',
            ...code('<h2>Welcome, {{profile.person.name.firstName}}</h2>', 'html', ['later']),
          },
          { id: 'later', kind: 'wait', duration: 'PT1H', next: ['second'] },
          {
            id: 'second',
            ...code(
              '{"headline": "Back again, {{profile.person.name.firstName}}", "discount": 10}',
              'json',
              ['broken'],
            ),
          },
          {
            id: 'broken',
            ...code('{"headline": "{{profile.person.name.firstName}}"', 'json', ['linger']),
            errorPath: { next: ['linger'] },
          },
          // Tom stays in the journey: leaving it would withdraw its experiences.
          { id: 'linger', kind: 'wait', duration: 'P1D', next: [] },
        ],
      });
      await putNamedProfile(w, 'tom@luma.example', 'Tom');
      await w.send([{ id: 'h1', type: 'HeroVisit', payload: { email: 'tom@luma.example' } }]);
      await w.advance(2000);
      const ask = (surfaces: string[]) =>
        w.request('POST', '/v1/experiences/query', {
          namespace: 'Email',
          id: 'tom@luma.example',
          surfaces,
        });
      const first = await ask([HERO, 'web://luma.example/demo/luma#footer']);
      conforms(experienceQueryAnswer, first, 'POST /v1/experiences/query');
      assert.equal(first.body.items.length, 1, 'the footer has nothing');
      assert.equal(first.body.items[0].surface, HERO);
      assert.equal(first.body.items[0].format, 'html');
      assert.equal(first.body.items[0].content, '<h2>Welcome, Tom</h2>');

      await w.advance(61 * MINUTE);
      const second = await ask([HERO]);
      assert.equal(second.body.items.length, 1, 'replaced, not added');
      assert.equal(second.body.items[0].format, 'json');
      assert.deepEqual(JSON.parse(second.body.items[0].content), {
        headline: 'Back again, Tom',
        discount: 10,
      });
      assert.notEqual(second.body.items[0].messageId, first.body.items[0].messageId);

      const log = await w.app.reads.messages('prod', { channel: 'code', limit: 10 });
      const broken = log.find((m) => m.node === 'broken');
      assert.equal(broken?.status, 'failed');
      assert.match(broken?.reason ?? '', /does not render to valid JSON/);
    } finally {
      await w.close();
    }
  });

  test("a journey's code-based experience is withdrawn when the profile leaves it (end, exit criteria, stop); a campaign's for the same surface stays", async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'code', name: 'LumaWebCode' });
      await eventType(w, 'HeroVisit');
      await eventType(w, 'HeroDone');
      await eventType(w, 'HeroLeave');
      const people = ['tom@luma.example', 'ana.g@luma.example', 'sarah.m@luma.example'];
      for (const [email, name] of people.map((e) => [e, e.split('@')[0]!] as const))
        await putNamedProfile(w, email, name);
      // The campaign's experience for the hero surface first, for everyone.
      await ok(w, 'POST', '/v1/campaigns', {
        id: 'hero-campaign',
        name: 'Hero campaign',
        type: 'api-triggered',
        mode: 'transactional',
        namespace: 'Email',
        action: {
          channel: 'code',
          configuration: 'LumaWebCode',
          content: { surface: HERO, format: 'html', payload: '<h2>Spring at Luma</h2>' },
        },
      });
      await ok(w, 'POST', '/v1/campaigns/hero-campaign/activate');
      const shot = await w.request('POST', '/v1/campaigns/hero-campaign/trigger', {
        requestId: 'hero-1',
        recipients: people.map((identity) => ({ identity })),
        context: {},
      });
      assert.equal(shot.status, 202, JSON.stringify(shot.body));
      await w.advance(2000);
      // Then the journey's, newer, for the same surface: it is the one served while they are in it.
      await publish(w, 'hero-journey', {
        name: 'Hero journey',
        start: 'start',
        exitCriteria: [{ event: 'HeroLeave' }],
        nodes: [
          { id: 'start', kind: 'event', event: 'HeroVisit', next: ['hero'] },
          {
            id: 'hero',
            kind: 'codeBased',
            configuration: 'LumaWebCode',
            category: 'marketing',
            content: {
              surface: HERO,
              format: 'html',
              payload: '<h2>Welcome back, {{profile.person.name.firstName}}</h2>',
            },
            next: ['done'],
          },
          {
            id: 'done',
            kind: 'event',
            event: 'HeroDone',
            next: ['end'],
            timeout: { duration: 'P7D', next: ['end'] },
          },
          { id: 'end', kind: 'end' },
        ],
      });
      await w.send(
        people.map((email, i) => ({ id: `v${i}`, type: 'HeroVisit', payload: { email } })),
      );
      await w.advance(2000);
      const hero = async (email: string): Promise<string[]> => {
        const r = await w.request('POST', '/v1/experiences/query', {
          namespace: 'Email',
          id: email,
          surfaces: [HERO],
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return (r.body.items as Array<{ content: string }>).map((x) => x.content);
      };
      for (const email of people)
        assert.deepEqual(
          await hero(email),
          [`<h2>Welcome back, ${email.split('@')[0]}</h2>`],
          `${email}: the journey's, while in it`,
        );
      const campaignOnly = ['<h2>Spring at Luma</h2>'];
      // Tom's path ends: he leaves, the journey's experience goes, the campaign's is served again.
      await w.send([{ id: 'd1', type: 'HeroDone', payload: { email: people[0] } }]);
      await w.advance(2000);
      assert.deepEqual(await pathOf(w, people[0]!, 'hero-journey'), [
        'start:HeroVisit',
        'hero:sent',
        'done:HeroDone',
        'end:end',
      ]);
      assert.deepEqual(await hero(people[0]!), campaignOnly, 'ended: withdrawn');
      assert.equal(
        (await hero(people[1]!))[0],
        `<h2>Welcome back, ana.g</h2>`,
        'the others are still in it',
      );
      // Ana leaves on the exit criterion.
      await w.send([{ id: 'l1', type: 'HeroLeave', payload: { email: people[1] } }]);
      await w.advance(2000);
      assert.deepEqual(await hero(people[1]!), campaignOnly, 'exit criterion: withdrawn');
      // Sarah leaves when the journey is stopped.
      await w.app.journeys.command('prod', 'hero-journey', 'stop');
      await w.advance(2000);
      assert.deepEqual(await hero(people[2]!), campaignOnly, 'journey stopped: withdrawn');
    } finally {
      await w.close();
    }
  });

  test('an in-app campaign with an offer decision in its body renders a different offer per profile and records the propositions', async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'inApp', name: 'LumaWeb' });
      await ok(w, 'POST', '/v1/placements', {
        id: 'inapp-line',
        name: 'In-app line',
        channel: 'inApp',
        contentType: 'text',
      });
      const rep = (text: string) => [{ placement: 'inapp-line', text, link: '/demo/luma/spring' }];
      await ok(w, 'POST', '/v1/offers', {
        id: 'ana-special',
        name: 'Ana special',
        status: 'approved',
        priority: 90,
        tags: ['inapp'],
        representations: rep('Ana, 30% off trail shoes'),
        eligibility: {
          rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} == "Ana"',
        },
      });
      await ok(w, 'POST', '/v1/offers', {
        id: 'everyone',
        name: 'Everyone',
        status: 'approved',
        priority: 10,
        tags: ['inapp'],
        representations: rep('10% off everything'),
      });
      await ok(w, 'POST', '/v1/decision-policies', {
        id: 'inapp-offer',
        name: 'In-app offer',
        placement: 'inapp-line',
        strategies: [{ collection: { tags: { any: ['inapp'] } } }],
      });
      await ok(w, 'POST', '/v1/campaigns', {
        id: 'inapp-offers',
        name: 'In-app offers',
        type: 'api-triggered',
        mode: 'transactional',
        namespace: 'Email',
        action: {
          channel: 'inApp',
          configuration: 'LumaWeb',
          content: {
            layout: 'banner',
            title: 'Spring at Luma',
            body: `Hi {{profile.person.name.firstName}}: ${decisionSnippet('inapp-offer', 'text')}`,
            buttons: [
              {
                id: 'see',
                label: 'See the offer',
                action: 'url',
                url: decisionSnippet('inapp-offer', 'link'),
              },
            ],
            trigger: { kind: 'appLaunch' },
            frequency: { kind: 'everyTime' },
          },
        },
      });
      await ok(w, 'POST', '/v1/campaigns/inapp-offers/activate');
      const shot = await w.request('POST', '/v1/campaigns/inapp-offers/trigger', {
        requestId: 'spring-inapp-1',
        recipients: [
          { identity: 'ana.garcia@luma.example' },
          { identity: 'sarah.miller@luma.example' },
        ],
        context: {},
      });
      assert.equal(shot.status, 202, JSON.stringify(shot.body));
      await w.advance(2000);
      const launch = { kind: 'appLaunch' };
      const ana = (await query(w, 'ana.garcia@luma.example', launch)).body.items;
      const sarah = (await query(w, 'sarah.miller@luma.example', launch)).body.items;
      assert.equal(ana.length, 1, 'a campaign item stays after its journey ends');
      assert.equal(ana[0].body, 'Hi Ana: Ana, 30% off trail shoes');
      assert.equal(ana[0].buttons[0].url, '/demo/luma/spring');
      assert.equal(sarah[0].body, 'Hi Sarah: 10% off everything');

      const recorded = await w.request('GET', '/v1/propositions?policy=inapp-offer');
      const rows = recorded.body.items as { offerId: string; messageId: string | null }[];
      assert.deepEqual([...new Set(rows.map((r) => r.offerId))].sort(), [
        'ana-special',
        'everyone',
      ]);
      assert.ok(rows.every((r) => typeof r.messageId === 'string' && r.messageId !== ''));
    } finally {
      await w.close();
    }
  });

  test('validation names the in-app or code-based activity: its content, its configuration', async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'inApp', name: 'LumaWeb' });
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'code', name: 'LumaWebCode' });
      await eventType(w, 'InAppCheckout');
      const saved = await w.app.journeys.create('prod', 'broken-inapp', {
        name: 'Broken',
        start: 'start',
        nodes: [
          { id: 'start', kind: 'event', event: 'InAppCheckout', next: ['modal'] },
          {
            id: 'modal',
            kind: 'inApp',
            label: 'Cart modal',
            configuration: 'LumaWebCode',
            content: {
              title: 'Hi',
              buttons: [{ id: 'go', label: 'Go', action: 'url' }],
              trigger: { kind: 'pageView' },
            },
            next: ['hero'],
          },
          {
            id: 'hero',
            kind: 'codeBased',
            label: 'Hero',
            configuration: 'LumaWeb',
            content: { surface: 'not a surface', payload: '<p>{{#if}}</p>' },
            next: [],
          },
        ],
      });
      const messages = saved.problems.map((x) => x.message).join('\n');
      assert.match(messages, /Cart modal.*"LumaWebCode" is a code configuration, not inApp/);
      assert.match(messages, /Hero.*"LumaWeb" is a inApp configuration, not code/);
      assert.match(messages, /inApp activity "Cart modal" \(id modal\): .*url/);
      assert.match(messages, /inApp activity "Cart modal" \(id modal\): /);
      assert.match(messages, /codeBased activity "Hero" \(id hero\): .*surface URI/);
      const paths = saved.problems.map((x) => x.path);
      assert.ok(paths.includes('nodes[1].content.buttons.0.url'), paths.join(', '));
      assert.ok(paths.includes('nodes[1].content.trigger.page'), paths.join(', '));
    } finally {
      await w.close();
    }
  });

  test('the client routes refuse bad input and keys without events.ingest', async () => {
    const w = await apiWorld();
    try {
      const routes = [
        '/v1/inapp/messages/query',
        '/v1/inapp/interactions',
        '/v1/experiences/query',
      ] as const;
      for (const url of routes) {
        const none = await w.request('POST', url, {}, { authorization: 'Bearer wrong-key' });
        assert.equal(none.status, 401, `${url} without a valid key`);
        const viewer = await w.request(
          'POST',
          url,
          { namespace: 'Email', id: 'x' },
          { authorization: `Bearer ${ROLE_KEYS.viewer}` },
        );
        assert.equal(viewer.status, 403, `${url} with a key without events.ingest`);
        const notObject = await w.request('POST', url, '[1]');
        assert.equal(notObject.status, 400);
        assert.equal(notObject.body.error.code, 'bad_request');
      }
      const bad = await query(w, 'tom@luma.example', { kind: 'pageView' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'bad_request');
      assert.deepEqual(
        bad.body.error.issues.map((i: { path: string }) => i.path),
        ['body.trigger.page'],
      );
      const wrongKind = await query(w, 'tom@luma.example', { kind: 'hover' });
      assert.equal(wrongKind.status, 400);
      assert.match(JSON.stringify(wrongKind.body.error), /trigger/);
      const tooMany = await w.request('POST', '/v1/experiences/query', {
        namespace: 'Email',
        id: 'tom@luma.example',
        surfaces: Array.from({ length: 21 }, (_, i) => `web://x/${i}`),
      });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.issues[0].path, 'body.surfaces');
      const badInteraction = await w.request('POST', '/v1/inapp/interactions', {
        namespace: 'Email',
        id: 'tom@luma.example',
        messageId: 'm1',
        interaction: 'liked',
      });
      assert.equal(badInteraction.status, 400);
      assert.equal(badInteraction.body.error.issues[0].path, 'body.interaction');

      // An unknown visitor has nothing; an unknown message is a 404.
      assert.deepEqual((await query(w, 'nobody@luma.example', { kind: 'appLaunch' })).body, {
        items: [],
      });
      const unknown = await w.request('POST', '/v1/inapp/interactions', {
        namespace: 'Email',
        id: 'nobody@luma.example',
        messageId: 'nope',
        interaction: 'displayed',
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'not_found');
    } finally {
      await w.close();
    }
  });
  test('a dry run puts nothing in the in-app inbox: the message and the experience are counted as would-send', async () => {
    const w = await apiWorld();
    try {
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'inApp', name: 'LumaWeb' });
      await ok(w, 'POST', '/v1/channel-configurations', { channel: 'code', name: 'LumaWebCode' });
      await eventType(w, 'InAppCheckout');
      const saved = await w.app.journeys.create('prod', 'dry-modal', {
        name: 'Dry modal',
        start: 'start',
        nodes: [
          { id: 'start', kind: 'event', event: 'InAppCheckout', next: ['modal'] },
          {
            id: 'modal',
            kind: 'inApp',
            configuration: 'LumaWeb',
            category: 'marketing',
            content: {
              layout: 'banner',
              title: 'Hello {{profile.person.name.firstName}}',
              body: 'Your cart is waiting.',
              buttons: [],
              trigger: { kind: 'appLaunch' },
              frequency: { kind: 'everyTime' },
            },
            next: ['hero'],
          },
          {
            id: 'hero',
            kind: 'codeBased',
            configuration: 'LumaWebCode',
            category: 'marketing',
            content: { surface: HERO, format: 'html', payload: '<h1>Hi</h1>' },
            next: ['linger'],
          },
          { id: 'linger', kind: 'wait', duration: 'P1D', next: [] },
        ],
      });
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.dryRun('prod', 'dry-modal', true);
      await putNamedProfile(w, 'tom@luma.example', 'Tom');
      await ok(w, 'POST', '/v1/events', {
        id: 'dry-1',
        type: 'InAppCheckout',
        payload: { email: 'tom@luma.example' },
      });
      await w.advance(MINUTE);
      const shown = await query(w, 'tom@luma.example', { kind: 'appLaunch' });
      assert.equal(shown.status, 200);
      assert.deepEqual(shown.body.items, [], 'nothing reaches the inbox in a dry run');
      const hero = await w.request('POST', '/v1/experiences/query', {
        namespace: 'Email',
        id: 'tom@luma.example',
        surfaces: [HERO],
      });
      assert.deepEqual(hero.body.items, []);
      const report = await w.request('GET', '/v1/journeys/dry-modal/dry-run');
      assert.equal(report.status, 200, JSON.stringify(report.body));
      assert.deepEqual(report.body.wouldSend, { inApp: 1, codeBased: 1 });
    } finally {
      await w.close();
    }
  });
});
