import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  rewriteLinks,
  verifyClickToken,
  verifyOpenToken,
  verifyUnsubscribeToken,
  unsubscribeUrl,
  TRACKING_ROUTES,
  OPEN_PIXEL_GIF,
  feedbackFromClaims,
} from '../../src/channels/tracking/index.ts';
import type { ClickClaims, TrackingContext } from '../../src/channels/tracking/index.ts';

const secret = 'a-tracking-secret-of-32-bytes!!!';
const ctx: TrackingContext = {
  messageId: 'm-1',
  profileId: 'p-9',
  journeyId: 'purchase',
  journeyVersion: 2,
  activityId: 'confirm',
};
const html = `<html><body>
<a href="https://luma.example/p?id=1&amp;c=2" class="btn">Shop</a>
<a data-wm-notrack href="https://luma.example/legal">Legal</a>
<a href='mailto:care@luma.example'>Mail us</a>
<a href=https://luma.example/unquoted>Unquoted</a>
<a name="top">anchor</a>
</BODY></html>`;

describe('link rewriting and tokens', () => {
  test('http(s) links become signed redirects carrying their target; the pixel goes before </body>', () => {
    const r = rewriteLinks(html, ctx, secret, 'https://wm.example/');
    assert.deepEqual(
      r.links.map((l) => [l.linkId, l.url]),
      [
        ['0', 'https://luma.example/p?id=1&c=2'],
        ['1', 'https://luma.example/unquoted'],
      ],
    );
    assert.ok(r.html.includes(`href="${r.links[0]?.trackedUrl}" class="btn"`));
    assert.ok(r.links.every((l) => l.trackedUrl.startsWith('https://wm.example/t/c/v1.')));
    assert.ok(r.html.includes('href="https://luma.example/legal"'), 'notrack links stay');
    assert.ok(r.html.includes("href='mailto:care@luma.example'"));
    assert.match(r.html, /<img src="https:\/\/wm\.example\/t\/o\/v1\.[^"]+\.gif"[^>]*\/><\/BODY>/);
    const token = r.links[0]?.trackedUrl.slice('https://wm.example/t/c/'.length) ?? '';
    assert.deepEqual(verifyClickToken(token, secret), {
      ok: true,
      claims: { ...ctx, kind: 'click', url: 'https://luma.example/p?id=1&c=2', linkId: '0' },
    });
    const open = /\/t\/o\/([^"]+)\.gif/.exec(r.html)?.[1] ?? '';
    assert.deepEqual(verifyOpenToken(open, secret), { ok: true, claims: { ...ctx, kind: 'open' } });
    assert.deepEqual(verifyClickToken(open, secret), { ok: false, reason: 'wrong_kind' });
  });

  test('tracking off: nothing changes', () => {
    assert.deepEqual(
      rewriteLinks(html, ctx, secret, 'https://wm.example', { clicks: false, opens: false }),
      { html, links: [] },
    );
  });

  test('tampered, forged and re-signed tokens are rejected', () => {
    const { links } = rewriteLinks(
      '<a href="https://luma.example/">x</a>',
      ctx,
      secret,
      'https://wm.example',
      { opens: false },
    );
    const token = links[0]?.trackedUrl.split('/t/c/')[1] ?? '';
    const [v, payload, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ClickClaims;
    const evil = Buffer.from(JSON.stringify({ ...claims, url: 'https://evil.example/' })).toString(
      'base64url',
    );
    assert.deepEqual(verifyClickToken(`${v}.${evil}.${sig}`, secret), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyClickToken(`${v}.${payload}.${sig.slice(0, -2)}AA`, secret), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyClickToken(token, 'another-secret-of-enough-bytes!!'), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyClickToken('garbage', secret), { ok: false, reason: 'malformed' });
    const u = unsubscribeUrl(ctx, 'email', secret, 'https://wm.example');
    assert.deepEqual(
      verifyUnsubscribeToken(u.split(TRACKING_ROUTES.unsubscribe)[1] ?? '', secret),
      { ok: true, claims: { ...ctx, kind: 'unsubscribe', channel: 'email' } },
    );
  });
});

describe('a redirect endpoint built on verifyClickToken (real HTTP)', () => {
  const clicks: ClickClaims[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith(TRACKING_ROUTES.click)) {
      const r = verifyClickToken(
        decodeURIComponent(path.slice(TRACKING_ROUTES.click.length)),
        secret,
      );
      if (!r.ok) {
        res.writeHead(400).end(r.reason);
        return;
      }
      clicks.push(r.claims);
      res.writeHead(302, { location: r.claims.url }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'image/gif' }).end(OPEN_PIXEL_GIF);
  });
  let base = '';
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
  });

  test('a click redirects to the original URL and is recorded; a forged token is refused', async () => {
    const { links } = rewriteLinks(
      '<a href="https://luma.example/shoes?size=42">x</a>',
      ctx,
      secret,
      base,
      { opens: false },
    );
    const res = await fetch(links[0]?.trackedUrl ?? '', { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), 'https://luma.example/shoes?size=42');
    assert.equal(clicks.length, 1);
    assert.equal(clicks[0]?.profileId, 'p-9');
    assert.deepEqual(
      feedbackFromClaims(clicks[0] as ClickClaims, Date.parse('2026-11-28T10:00:00Z')),
      {
        type: 'message.clicked',
        channel: 'email',
        messageId: 'm-1',
        profileId: 'p-9',
        journeyId: 'purchase',
        journeyVersion: 2,
        activityId: 'confirm',
        link: { id: '0', url: 'https://luma.example/shoes?size=42' },
        occurredAt: '2026-11-28T10:00:00.000Z',
      },
    );
    const forged = `${base}${TRACKING_ROUTES.click}v1.${Buffer.from(JSON.stringify({ ...ctx, kind: 'click', url: 'https://evil.example', linkId: '0' })).toString('base64url')}.AAAA`;
    const bad = await fetch(forged, { redirect: 'manual' });
    assert.equal(bad.status, 400);
    assert.equal(clicks.length, 1);
    const pixel = await fetch(`${base}/t/o/x.gif`);
    assert.equal(
      Buffer.from(await pixel.arrayBuffer())
        .subarray(0, 6)
        .toString('latin1'),
      'GIF89a',
    );
  });
});
