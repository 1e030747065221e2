// Tracking: links rewritten to signed redirects, opens and clicks recorded as feedback on the
// profile and the activity, one-click unsubscribe withdrawing consent; tampered tokens refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cart, lumaEvent, PUBLIC_URL } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

test('a click on the abandoned-cart email redirects, is recorded, and an unsubscribe stops the next one', async () => {
  const w = await apiWorld();
  try {
    const email = 'jean.dupont@luma.example';
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    const mail = await until(() => w.inbox.list({ to: email })[0]);
    // Tracked links carry their target in the signed token: pick the one to the cart.
    const target = (href: string): string =>
      JSON.parse(Buffer.from(href.split('/t/c/')[1]!.split('.')[1]!, 'base64url').toString()).url;
    const anchors = [...mail.html.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    const click = anchors.find(
      (h) => h.includes('/t/c/') && target(h) === 'https://luma.example/cart',
    );
    assert.ok(click?.startsWith(`${PUBLIC_URL}/t/c/`), `the link is rewritten: ${click}`);
    assert.match(mail.html, new RegExp(`${PUBLIC_URL}/t/o/[^"]+\\.gif`), 'an open pixel');
    assert.ok(mail.headers['list-unsubscribe']?.includes(`${PUBLIC_URL}/t/u/`));
    assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');

    const path = click!.slice(PUBLIC_URL.length);
    const redirect = await w.server.inject({ method: 'GET', url: path });
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers.location, 'https://luma.example/cart');
    const tampered = await w.server.inject({ method: 'GET', url: `${path.slice(0, -3)}AAA` });
    assert.equal(tampered.statusCode, 400);
    const pixel = /src="([^"]+\.gif)"/.exec(mail.html)![1]!.slice(PUBLIC_URL.length);
    assert.equal(
      (await w.server.inject({ method: 'GET', url: pixel })).headers['content-type'],
      'image/gif',
    );

    await new Promise((r) => setTimeout(r, 100));
    const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
    const rows = await w.app.reads.counters('prod', 'purchase-journey');
    const count = (metric: string): number =>
      rows.find((r) => r.node === 'abandoned-email' && r.metric === metric)?.value ?? 0;
    assert.equal(count('clicked'), 1, 'one click; the tampered one is not counted');
    assert.equal(count('opened'), 1);
    assert.ok(report.status === 200);

    const unsubscribe = mail.headers['list-unsubscribe']!.match(/<(http[^>]+)>/)![1]!.slice(
      PUBLIC_URL.length,
    );
    const one = await w.server.inject({
      method: 'POST',
      url: unsubscribe,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(one.statusCode, 200);
    const profile = await w.request('GET', `/v1/profiles/Email/${email}`);
    assert.equal(profile.body.attributes.consents.marketing.email, 'n');

    await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', email, cart));
    await w.advance(6 * 60_000);
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    const messages = (await w.request('GET', `/v1/messages?profile=Email:${email}`)).body.items;
    const finalReport = (await w.request('GET', '/v1/journeys/purchase-journey/report')).body;
    const abandoned = finalReport.versions[0].activities.find(
      (a: { id: string }) => a.id === 'abandoned-email',
    ).messages;
    assert.deepEqual(
      { ...abandoned },
      {
        targeted: 2,
        sent: 1,
        delivered: 0,
        bounced: 0,
        failed: 0,
        excluded: 1,
        opened: 1,
        clicked: 1,
        unsubscribed: 1,
        excludedBy: { no_consent: 1 },
      },
    );
    const timeline = (
      await w.request(
        'GET',
        '/v1/journeys/purchase-journey/report/timeline?bucket=hour&since=2026-11-01T00:00:00Z',
      )
    ).body;
    const total = (series: string): number =>
      timeline.points
        .filter((p: { series: string }) => p.series === series)
        .reduce((s: number, p: { value: number }) => s + p.value, 0);
    assert.deepEqual(
      [
        total('entered'),
        total('exited'),
        total('timeouts'),
        total('message.sent'),
        total('message.excluded'),
        total('message.opened'),
        total('message.clicked'),
      ],
      [2, 1, 2, 2, 1, 1, 1],
    );
    assert.equal(
      (await w.request('GET', '/v1/journeys/purchase-journey/report/timeline?since=yesterday'))
        .status,
      400,
    );
    assert.deepEqual(finalReport.links, [
      { version: 1, activity: 'abandoned-email', url: 'https://luma.example/cart', clicks: 1 },
    ]);
    assert.deepEqual(
      messages.map(
        (m: { label: string; status: string; reason: string | null }) =>
          `${m.label}:${m.status}:${m.reason}`,
      ),
      [
        'Abandoned Cart Email:sent:null',
        'Order Confirmation Email:sent:null',
        'Abandoned Cart Email:excluded:no_consent',
      ],
    );
  } finally {
    await w.close();
  }
});
