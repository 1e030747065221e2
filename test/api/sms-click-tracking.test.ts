// SMS click tracking: an SMS configuration that tracks clicks shortens each link of the text to
// `<public URL>/s/<code>`. A journey texts Sarah and Ana a link through a real Twilio-protocol
// server on loopback; Sarah's phone follows the short link over real HTTP (302 to the original
// URL), and the reaction activity waiting for a click takes its path while Ana's times out.
// A HEAD records nothing. Unknown, malformed and expired codes answer a 404 page; expired links are purged, and a
// profile's links go when the profile is erased.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { smsSegments } from '../../src/content/index.ts';
import { shortenSmsLinks, SHORT_CODE_LENGTH } from '../../src/runtime/short-links.ts';
import { findSmsLinks } from '../../src/channels/tracking/sms-links.ts';
import { nodeCounts, pathOf, putEmailEventType } from '../support/journeys.ts';
import { PUBLIC_URL } from '../support/luma.ts';
import { putPhoneProfile } from '../support/profiles.ts';
import { apiWorld } from '../support/server.ts';
import { until } from '../webhooks/receiver.ts';

const SARAH = 'sarah.miller@luma.example';
const ANA = 'ana.garcia@luma.example';
const PHONES = { [SARAH]: '+14155550101', [ANA]: '+14155550102' };
const HOUR = 3_600_000;
const SALE = 'https://luma.example/sale?utm_source=sms&id=42';

test('findSmsLinks leaves the sentence its punctuation', () => {
  assert.deepEqual(
    findSmsLinks(
      'See https://luma.example/a. Or (https://luma.example/b) or https://x.example/p_(1)!',
    ).map((l) => l.url),
    ['https://luma.example/a', 'https://luma.example/b', 'https://x.example/p_(1)'],
  );
  assert.deepEqual(findSmsLinks('no links, just http:// and ftp://x.example'), []);
});

test('a short code taken already is drawn again; a retried send reuses its codes; our own links stay', async () => {
  const rows: Array<{ code: string; linkId: string; url: string; messageId: string }> = [];
  const store = {
    async putShortLink(r: (typeof rows)[number]) {
      if (rows.some((x) => x.code === r.code)) return false;
      rows.push(r);
      return true;
    },
    async shortLinksOfMessage(_s: string, m: string) {
      return rows.filter((r) => r.messageId === m) as never;
    },
  };
  const draws = ['AAAAAAAAAA', 'AAAAAAAAAA', 'BBBBBBBBBB', 'CCCCCCCCCC'];
  const deps = {
    store,
    baseUrl: 'https://wm.example/',
    now: () => 0,
    newCode: () => draws.shift()!,
  };
  const ctx = {
    sandbox: 'prod',
    messageId: 'i1:1',
    profileId: 'p',
    journeyId: 'j',
    version: 1,
    node: 'n',
  };
  const text = 'A https://a.example/x, B https://b.example/y and https://wm.example/s/ZZZZZZZZZZ';
  const first = await shortenSmsLinks(deps as never, ctx, text);
  assert.equal(
    first.text,
    'A https://wm.example/s/AAAAAAAAAA, B https://wm.example/s/BBBBBBBBBB and https://wm.example/s/ZZZZZZZZZZ',
  );
  assert.equal(rows.length, 2, 'the colliding draw was not stored twice');
  const again = await shortenSmsLinks(deps as never, ctx, text);
  assert.equal(again.text, first.text, 'a retry leads to the same rows');
  assert.equal(rows.length, 2);
  // A configuration's short domain leads the links; links already on it or the public URL stay.
  const onDomain = await shortenSmsLinks(
    deps as never,
    { ...ctx, messageId: 'i1:2' },
    'C https://c.example/z and https://go.luma.example/s/YYYYYYYYYY',
    30,
    'https://go.luma.example',
  );
  assert.equal(
    onDomain.text,
    'C https://go.luma.example/s/CCCCCCCCCC and https://go.luma.example/s/YYYYYYYYYY',
  );
});

test('an SMS link clicked takes the reaction on clicked; no click times out; bad codes get a 404', async () => {
  const w = await apiWorld();
  try {
    const created = await w.request('POST', '/v1/channel-configurations', {
      channel: 'sms',
      name: 'LumaSmsTracked',
      twilio: w.providers.smsSettings,
      tracking: { clicks: true, linkValidityDays: 7 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const [email, phone] of Object.entries(PHONES)) await putPhoneProfile(w, email, phone);
    await putEmailEventType(w, 'SmsCheckout');
    const saved = await w.app.journeys.create('prod', 'sms-click', {
      name: 'SMS click',
      start: 'start',
      nodes: [
        { id: 'start', kind: 'event', event: 'SmsCheckout', next: ['text'] },
        {
          id: 'text',
          kind: 'sms',
          configuration: 'LumaSmsTracked',
          category: 'transactional',
          content: {
            text: `Hi {{profile.person.name.firstName}}, the sale is on: ${SALE}. Reply STOP to opt out`,
          },
          next: ['clicked'],
        },
        {
          id: 'clicked',
          kind: 'reaction',
          message: 'text',
          reaction: 'clicked',
          next: ['thanks'],
          timeout: { duration: 'PT1H', next: ['late'] },
        },
        { id: 'thanks', kind: 'end' },
        { id: 'late', kind: 'end' },
      ],
    });
    assert.deepEqual(saved.problems, []);
    await w.app.journeys.publish('prod', 'sms-click');
    await w.send([
      { id: 'sc-1', type: 'SmsCheckout', payload: { email: SARAH } },
      { id: 'sc-2', type: 'SmsCheckout', payload: { email: ANA } },
    ]);
    await w.advance(2000);

    // What the phones received from the Twilio-protocol server.
    const received = async (phone: string) =>
      until(() => w.providers.sms.find((s) => s.to === phone)?.body, `the SMS to ${phone}`);
    const sarahText = await received(PHONES[SARAH]);
    const anaText = await received(PHONES[ANA]);
    assert.ok(!sarahText.includes(SALE), `the original URL is not in the text: ${sarahText}`);
    const shortRe = new RegExp(
      `${PUBLIC_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s/([0-9A-Za-z]{${SHORT_CODE_LENGTH}})`,
    );
    const sarahCode = shortRe.exec(sarahText)?.[1];
    const anaCode = shortRe.exec(anaText)?.[1];
    assert.ok(sarahCode && anaCode, `short links in the texts: ${sarahText} / ${anaText}`);
    assert.notEqual(sarahCode, anaCode, 'one code per person');
    assert.match(
      sarahText,
      new RegExp(`/s/${sarahCode}\\. Reply STOP`),
      'the sentence keeps its full stop',
    );
    // The log counts the segments of what was sent.
    const logged = (await w.app.reads.messages('prod', { channel: 'sms', limit: 10 })).find(
      (m) => m.recipient === PHONES[SARAH],
    );
    assert.ok(logged);
    const payload = logged.payload as {
      segments: number;
      links: Array<{ url: string; shortUrl: string }>;
    };
    assert.equal(payload.segments, smsSegments(sarahText).segments);
    assert.deepEqual(
      payload.links.map((l) => l.url),
      [SALE],
    );

    // Sarah's phone follows the link over real HTTP: a 302 to the original URL.
    const base = await w.listen();
    const follow = (code: string) => fetch(`${base}/s/${code}`, { redirect: 'manual' });
    // A link checker's HEAD is answered the same and records nothing (counted below: two clicks).
    const head = await fetch(`${base}/s/${sarahCode}`, { method: 'HEAD', redirect: 'manual' });
    assert.equal(head.status, 302);
    assert.equal(head.headers.get('location'), SALE);
    const r = await follow(sarahCode);
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), SALE);
    const again = await follow(sarahCode);
    assert.equal(again.status, 302, 'a second click still leads there');
    await w.advance(2000);
    assert.deepEqual(await pathOf(w, SARAH, 'sms-click'), [
      'start:SmsCheckout',
      'text:sent',
      'clicked:clicked',
      'thanks:end',
    ]);
    await w.advance(HOUR + 2000);
    assert.deepEqual(await pathOf(w, ANA, 'sms-click'), [
      'start:SmsCheckout',
      'text:sent',
      'clicked:timeout',
      'late:end',
    ]);

    // Every click is counted (clicked and per link), as email's are; the feedback is on the profile.
    const count = await nodeCounts(w, 'sms-click', 'text');
    assert.equal(count('clicked'), 2);
    assert.equal(count(`link:${SALE}`), 2);
    const sarahId = await w.app.reads.findProfileId('prod', 'Email', SARAH);
    assert.ok(sarahId);
    const clicks = await w.store.profileEvents('prod', sarahId, {
      types: ['message.clicked'],
      since: null,
    });
    assert.equal(clicks.length, 2);
    assert.equal((clicks[0]!.payload as { channel: string }).channel, 'sms');

    // Bad input: an unknown code, a malformed one, an expired one: a 404 page, nothing recorded.
    for (const code of ['ZZZZZZZZZZ', 'short', '..%2F..%2Fetc'] as const) {
      const bad = await follow(code);
      assert.equal(bad.status, 404, code);
      assert.match(await bad.text(), /does not exist or has expired/);
    }
    const now = w.clock.now();
    await w.store.putShortLink({
      code: 'Expired123',
      sandbox: 'prod',
      messageId: 'gone:1',
      profileId: sarahId,
      journeyId: 'sms-click',
      version: 1,
      node: 'text',
      linkId: '0',
      url: SALE,
      createdAt: now - 10 * 86_400_000,
      expiresAt: now - 1,
    });
    const expired = await follow('Expired123');
    assert.equal(expired.status, 404);
    assert.match(expired.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(count('clicked'), 2);
    assert.equal((await w.app.retention.runOnce()).shortLinksExpired, 1);
    assert.equal(await w.store.shortLink('Expired123'), null);

    // Erasing Ana's profile erases her short links.
    assert.ok(await w.store.shortLink(anaCode));
    const erased = await w.request('DELETE', `/v1/profiles/Email/${ANA}`);
    assert.ok(erased.status < 300, JSON.stringify(erased.body));
    await w.advance(2000);
    assert.equal(await w.store.shortLink(anaCode), null);
    assert.equal((await follow(anaCode)).status, 404);
  } finally {
    await w.close();
  }
});
