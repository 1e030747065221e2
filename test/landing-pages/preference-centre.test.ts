// The Luma preference centre on a real server on loopback: Sarah's order confirmation carries the
// footer's "Manage preferences" link (click-tracked, then signed for her); the page knows her without
// signing in; she unticks marketing email and subscribes to the newsletter; her profile changes and
// the Spring Sale campaign then leaves her out (no_consent) while Ana still gets it. Robots, missing
// or forged tokens, too many tries, an expired page and bad input are refused and write nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { cart, lumaEvent } from '../support/luma.ts';

const SARAH = 'sarah.miller@luma.example';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

const csrfOf = (html: string): string => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the form carries a CSRF token');
  return m[1]!;
};

const pathOf = (u: string): string => {
  const x = new URL(u.replace(/&amp;/g, '&'));
  return `${x.pathname}${x.search}`;
};

describe('landing pages: the preference centre', () => {
  let w: ApiWorld;
  let base: string;
  before(async () => {
    w = await apiWorld();
    base = await w.listen();
  });
  after(async () => {
    await w.close();
  });

  const get = (path: string) => fetch(`${base}${path}`, { redirect: 'manual' });
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const profile = async (email: string) =>
    (await w.request('GET', `/v1/profiles/Email/${email}`)).body.attributes;

  let prefs = ''; // Sarah's signed link, path and query

  test('the demo ships both pages, published; the email footer links to the preference centre signed for the profile', async () => {
    const list = (await w.request('GET', '/v1/landing-pages')).body.items;
    assert.deepEqual(list.map((p: { key: string }) => p.key).sort(), [
      'email-preferences',
      'spring-sale',
    ]);
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', SARAH, cart));
    await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', SARAH, cart));
    const mail = await until(() => w.inbox.list({ to: SARAH })[0]);
    const link = /<a [^>]*href="([^"]+)"[^>]*>Manage preferences<\/a>/.exec(mail.html);
    assert.ok(link, 'the footer has the Manage preferences link');
    // Click tracking wraps it: the redirect leads to the page, signed for Sarah.
    const click = await get(pathOf(link[1]!));
    assert.equal(click.status, 302);
    const target = click.headers.get('location')!;
    assert.match(target, /\/lp\/prod\/email-preferences\?p=lp1\./);
    prefs = pathOf(target);
  });

  test('the page knows Sarah without signing in: her name, her consents ticked; no script allowed', async () => {
    const r = await get(prefs);
    assert.equal(r.status, 200);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    const html = await r.text();
    assert.match(html, /Hello Sarah/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /<input type="checkbox" id="f-emailOptIn" name="emailOptIn" checked>/);
    assert.match(html, /name="firstName" value="Sarah"/);
  });

  test('submitting the form writes consent, subscriptions and preferences; the thank-you page follows', async () => {
    const html = await (await get(prefs)).text();
    const r = await post(prefs, {
      _csrf: csrfOf(html),
      _website: '',
      firstName: 'Sarah',
      newsletter: 'on',
      frequency: 'monthly',
    });
    assert.equal(r.status, 303);
    const saved = r.headers.get('location')!;
    assert.match(saved, /^\/lp\/prod\/email-preferences\/saved\?p=lp1\./);
    const thanks = await (await get(saved)).text();
    assert.match(thanks, /Your preferences are saved/);
    assert.match(thanks, /<strong class="consent-email">no<\/strong>/);
    const a = await profile(SARAH);
    assert.equal(a.consents.marketing.email, 'n');
    assert.equal(a.consents.marketing.sms, 'n');
    assert.equal(a.consents.subscriptions.newsletter, 'y');
    assert.equal(a.consents.subscriptions['spring-sale'], 'n');
    assert.equal(a.preferences.emailFrequency, 'monthly');
  });

  test('a later marketing email leaves Sarah out (no consent); Ana still gets it', async () => {
    w.inbox.clear();
    assert.equal((await w.request('POST', '/v1/campaigns/luma-spring-sale/activate')).status, 200);
    await w.advance(2000);
    assert.deepEqual(
      w.inbox.list().map((m) => m.subject),
      ['Ana, the Spring Sale is on'],
    );
    const messages = (await w.request('GET', '/v1/messages?limit=100')).body;
    const items = (messages.items ?? messages) as Array<{
      status: string;
      reason: string | null;
      subject: string | null;
      recipient: string | null;
      profileId: string;
    }>;
    const sarahId = (await w.request('GET', `/v1/profiles/Email/${SARAH}`)).body.id;
    const hers = items.filter((m) => m.profileId === sarahId && m.status === 'excluded');
    assert.ok(
      hers.some((m) => m.reason === 'no_consent'),
      JSON.stringify(hers),
    );
  });

  test('a robot filling the honeypot is refused and nothing is written', async () => {
    const before = await profile(SARAH);
    const html = await (await get(prefs)).text();
    const r = await post(prefs, {
      _csrf: csrfOf(html),
      _website: 'http://spam.example',
      firstName: 'Robot',
      emailOptIn: 'on',
    });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /looks automated/);
    assert.deepEqual(await profile(SARAH), before);
  });

  test('a missing or forged CSRF token is refused, and so is a token for another profile', async () => {
    const before = await profile(SARAH);
    assert.equal((await post(prefs, { firstName: 'X', emailOptIn: 'on' })).status, 403);
    assert.equal(
      (await post(prefs, { _csrf: '1790000000000.forged', emailOptIn: 'on' })).status,
      403,
    );
    // A token of the anonymous page (no ?p=) is not one for Sarah's.
    const anon = await (await get('/lp/prod/email-preferences')).text();
    assert.equal((await post(prefs, { _csrf: csrfOf(anon), emailOptIn: 'on' })).status, 403);
    // A forged profile link is not a page at all.
    const forged = prefs.replace(/\.([A-Za-z0-9_-]+)$/, '.AAAA');
    assert.equal((await get(forged)).status, 400);
    assert.deepEqual(await profile(SARAH), before);
  });

  test('bad input gets every issue named (field, expected, got) and writes nothing', async () => {
    const before = await profile(SARAH);
    const html = await (await get(prefs)).text();
    const r = await post(prefs, {
      _csrf: csrfOf(html),
      frequency: 'hourly',
      emailOptIn: 'maybe',
      shoeSize: '42',
    });
    assert.equal(r.status, 422);
    const page = await r.text();
    assert.match(
      page,
      /How often may we write\?: not one of the choices \(expected one of &quot;weekly&quot;, &quot;monthly&quot;, got &quot;hourly&quot;\)/,
    );
    assert.match(
      page,
      /Emails from Luma \(offers and news\): a checkbox posts &quot;on&quot; or nothing/,
    );
    assert.match(page, /the form has no field &quot;shoeSize&quot;/);
    assert.deepEqual(await profile(SARAH), before);
  });

  test('the Spring sale page: the offer the policy picks, an email sign-up creating a profile, required fields checked', async () => {
    const page = await (await get('/lp/prod/spring-sale')).text();
    assert.match(page, /20% off the spring collection/);
    const bad = await post('/lp/prod/spring-sale', { _csrf: csrfOf(page), email: 'not-an-email' });
    assert.equal(bad.status, 422);
    assert.match(
      await bad.text(),
      /Email address is not an email address \(expected an email address, got &quot;not-an-email&quot;\)/,
    );
    const ok = await post('/lp/prod/spring-sale', {
      _csrf: csrfOf(page),
      email: 'New.Person@Example.com',
      firstName: 'Nell',
      springSale: 'on',
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/lp/prod/spring-sale/thank-you');
    const a = await profile('new.person@example.com');
    assert.equal(a.person.name.firstName, 'Nell');
    assert.equal(a.consents.subscriptions['spring-sale'], 'y');
  });

  test('the report counts views, submissions, refusals and conversions per page', async () => {
    const r = (await w.request('GET', '/v1/landing-pages/email-preferences/report')).body;
    assert.equal(r.conversions, 1);
    assert.ok(r.views >= 6, JSON.stringify(r));
    assert.equal(r.refused, 4);
    assert.equal(r.submissions, 2);
    const saved = r.pages.find((p: { subPage: string | null }) => p.subPage === 'saved');
    assert.equal(saved.views, 1);
  });

  test('too many posts from one address are refused with 429', async () => {
    w.clock.advance(61_000); // a fresh window (the posts above count in the last one)
    const page = await (await get('/lp/prod/spring-sale')).text();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await post('/lp/prod/spring-sale', { _csrf: csrfOf(page), email: 'x' })).status,
      );
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(422));
    assert.equal(statuses[10], 429);
  });

  test('unpublished: 404; published again with an expiry: 410 once past it; publishing checks the page', async () => {
    assert.equal((await w.request('POST', '/v1/landing-pages/spring-sale/unpublish')).status, 200);
    const gone = await get('/lp/prod/spring-sale');
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /There is no page at this address/);
    const current = (await w.request('GET', '/v1/landing-pages/spring-sale')).body.spec;
    const expiresAt = new Date(w.clock.now() + 60_000).toISOString();
    const put = await w.request('PUT', '/v1/landing-pages/spring-sale', { ...current, expiresAt });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const pub = await w.request('POST', '/v1/landing-pages/spring-sale/publish');
    assert.equal(pub.status, 200, JSON.stringify(pub.body));
    assert.equal((await get('/lp/prod/spring-sale')).status, 200);
    w.clock.advance(61_000);
    const expired = await get('/lp/prod/spring-sale');
    assert.equal(expired.status, 410);
    assert.match(await expired.text(), /This page has ended/);
    const refused = await w.request('POST', '/v1/landing-pages/spring-sale/publish');
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.body.error.issues), /expiresAt .* is in the past/);
    // A draft never answers.
    assert.equal(
      (
        await w.request('POST', '/v1/landing-pages', {
          ...current,
          slug: 'draft-page',
          status: 'draft',
          expiresAt: undefined,
        })
      ).status,
      201,
    );
    assert.equal((await get('/lp/prod/draft-page')).status, 404);
  });

  test('a package of the Spring sale page carries what it uses: the decision policy, its placement and offers, the logo', async () => {
    const r = await w.request('GET', '/v1/packages/export?objects=landingPage:spring-sale');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const keys = new Set(
      (r.body.objects as Array<{ kind: string; spec: Record<string, unknown> }>).map(
        (o) => `${o.kind}:${String(o.spec['slug'] ?? o.spec['id'] ?? o.spec['name'])}`,
      ),
    );
    for (const k of [
      'landingPage:spring-sale',
      'decisionPolicy:spring-sale-banner',
      'placement:web-banner',
      'offer:spring-fallback',
      'asset:luma-logo',
    ])
      assert.ok(keys.has(k), `the package holds ${k}: ${[...keys].join(', ')}`);
  });

  test('preview as a test profile, and the signed link for one', async () => {
    const sarahId = (await w.request('GET', `/v1/profiles/Email/${SARAH}`)).body.id;
    const p = await w.request('POST', '/v1/landing-pages/email-preferences/preview', {
      profileId: sarahId,
    });
    assert.equal(p.status, 200);
    assert.match(p.body.html, /Hello Sarah/);
    const sub = await w.request('POST', '/v1/landing-pages/email-preferences/preview', {
      subPage: 'nope',
    });
    assert.equal(sub.status, 404);
    const link = await w.request(
      'GET',
      `/v1/landing-pages/email-preferences/link?profileId=${sarahId}`,
    );
    assert.match(link.body.profileUrl, /\/lp\/prod\/email-preferences\?p=lp1\./);
  });

  test("a message's preview signs {{landingPageUrl}} for a test profile, and writes the plain address otherwise", async () => {
    const content = {
      channel: 'email',
      subject: 'Preferences',
      html: '<p><a href="{{landingPageUrl \'email-preferences\'}}">Manage preferences</a></p>',
    };
    const hrefOf = (html: string): string => {
      const m = /href="([^"]*)"/.exec(html);
      assert.ok(m, html);
      return m[1]!.replace(/&amp;/g, '&');
    };
    const forSarah = await w.request('POST', '/v1/render', {
      content,
      profileId: { namespace: 'Email', id: SARAH },
    });
    assert.equal(forSarah.status, 200, JSON.stringify(forSarah.body));
    const signed = hrefOf(forSarah.body.html);
    assert.match(signed, /\/lp\/prod\/email-preferences\?p=lp1\./);
    // The link opens the page as Sarah.
    const opened = await get(pathOf(signed));
    assert.equal(opened.status, 200);
    assert.match(await opened.text(), /Hello Sarah/);
    // A profile that is not a test profile, or an inline one: the page's address, unsigned.
    const made = await w.request('PUT', '/v1/profiles/Email/real.person@luma.example', {
      attributes: { person: { name: { firstName: 'Real' } } },
    });
    assert.ok(made.status < 300, JSON.stringify(made.body));
    for (const who of [
      { profileId: { namespace: 'Email', id: 'real.person@luma.example' } },
      { profile: { person: { name: { firstName: 'Inline' } } } },
    ]) {
      const r = await w.request('POST', '/v1/render', { content, ...who });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.match(hrefOf(r.body.html), /\/lp\/prod\/email-preferences$/);
    }
  });
});
