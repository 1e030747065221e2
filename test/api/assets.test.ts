// Assets: the lab's images served with renditions and cache headers; uploads make new versions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { apiWorld, ADMIN_KEY } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

test('the Luma logo is served as stored, resized and re-encoded, cached by version; an upload makes version 2', async () => {
  const w = await apiWorld();
  try {
    const original = await w.server.inject({ method: 'GET', url: '/assets/prod/luma-logo?v=1' });
    assert.equal(original.statusCode, 200);
    assert.equal(original.headers['content-type'], 'image/png');
    assert.equal(original.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await sharp(original.rawPayload).metadata()).width, 400);

    const small = await w.server.inject({
      method: 'GET',
      url: '/assets/prod/luma-logo?v=1&w=200&format=webp',
    });
    assert.equal(small.headers['content-type'], 'image/webp');
    const meta = await sharp(small.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 200, 60]);
    const again = await w.server.inject({
      method: 'GET',
      url: '/assets/prod/luma-logo?v=1&w=200&format=webp',
      headers: { 'if-none-match': String(small.headers.etag) },
    });
    assert.equal(again.statusCode, 304);

    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/assets/prod/luma-logo?w=0' })).statusCode,
      400,
    );
    assert.equal(
      (await w.server.inject({ method: 'GET', url: '/assets/prod/nope' })).statusCode,
      404,
    );

    const png = await sharp({
      create: { width: 10, height: 10, channels: 3, background: '#00ff00' },
    })
      .png()
      .toBuffer();
    const up = await w.server.inject({
      method: 'PUT',
      url: '/v1/assets/luma-logo/content',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'image/png' },
      payload: png,
    });
    assert.equal(up.statusCode, 200);
    assert.equal(JSON.parse(up.body).version, 2);
    const v2 = await w.server.inject({ method: 'GET', url: '/assets/prod/luma-logo?v=2' });
    assert.equal((await sharp(v2.rawPayload).metadata()).width, 10);
    const text = await w.server.inject({
      method: 'PUT',
      url: '/v1/assets/luma-logo/content',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'text/plain' },
      payload: 'hi',
    });
    assert.equal(text.statusCode, 400);
  } finally {
    await w.close();
  }
});

test('a proof of the confirmation email reaches the reviewer over SMTP, marked as a proof', async () => {
  const w = await apiWorld();
  await createSandbox(w, 'agency');
  try {
    const content = (
      await w.request('GET', '/v1/journeys/purchase-journey')
    ).body.latest.definition.nodes.find((n: { id: string }) => n.id === 'confirmation').content;
    const r = await w.request('POST', '/v1/render/proof', {
      content: { channel: 'email', ...content },
      profile: { person: { name: { firstName: 'Ana' } }, mobileApp: { installed: true } },
      context: {
        journey: {
          events: {
            LumaPurchaseEvent_Email: {
              productListItems: [{ name: 'Watch', SKU: 'W', quantity: 1, priceTotal: 92 }],
            },
          },
          actions: { LoyaltyService: { LoyaltyOffer: '10% off', PromoCode: 'LUMA10-PROOF' } },
        },
      },
      address: 'reviewer@luma.example',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (let i = 0; i < 100 && w.inbox.list({ to: 'reviewer@luma.example' }).length === 0; i++)
      await new Promise((ok) => setTimeout(ok, 20));
    const [mail] = w.inbox.list({ to: 'reviewer@luma.example' });
    assert.equal(mail?.subject, '[Proof] Ana, your order confirmation');
    assert.ok(mail?.html.includes('LUMA10-PROOF'));
    // The development inbox shows the proof to its sandbox (proofs stay out of the delivery log and reports).
    const inbox = await w.request('GET', '/v1/dev/inbox?to=reviewer%40luma.example');
    assert.deepEqual(
      inbox.body.email.map((m: { subject: string }) => m.subject),
      ['[Proof] Ana, your order confirmation'],
    );
    assert.deepEqual(inbox.body.items, [], 'a proof is not a delivered message');
    const other = await w.request('GET', '/v1/dev/inbox', undefined, {
      'x-sandbox-name': 'agency',
    });
    assert.deepEqual(other.body.email, [], 'another sandbox does not see the proof');
  } finally {
    await w.close();
  }
});
