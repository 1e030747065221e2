// The pure parts of landing pages: a form's submission becomes a profile patch or every issue (field,
// expected, got); the page's lifecycle; the signed profile link and CSRF token refuse any change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSubmission, formHtml, parsePosted } from '../../src/content/landing-pages/form.ts';
import { assemblePage, pageState, publishIssues } from '../../src/content/landing-pages/page.ts';
import { landingPageSchema, landingFormSchema } from '../../src/model/landing-page.ts';
import {
  CSRF_TTL_MS,
  checkCsrf,
  csrfToken,
  signProfileLink,
  verifyProfileLink,
} from '../../src/runtime/landing-pages/tokens.ts';

const form = landingFormSchema.parse({
  fields: [
    {
      kind: 'attribute',
      name: 'email',
      label: 'Email',
      path: 'personalEmail.address',
      type: 'email',
      required: true,
    },
    { kind: 'attribute', name: 'age', label: 'Age', path: 'person.age', type: 'number' },
    { kind: 'consent', name: 'emailOptIn', label: 'Emails', channel: 'email' },
    { kind: 'subscription', name: 'news', label: 'News', list: 'newsletter' },
    {
      kind: 'preference',
      name: 'freq',
      label: 'Frequency',
      key: 'frequency',
      options: [
        { value: 'weekly', label: 'Weekly' },
        { value: 'monthly', label: 'Monthly' },
      ],
    },
  ],
});

test('a valid submission is a nested patch; unticked boxes are a no', () => {
  const r = checkSubmission(
    form,
    parsePosted('email=A%40b.example&age=42&news=on&freq=weekly&_csrf=x&_website='),
  );
  assert.deepEqual(r, {
    ok: true,
    email: 'a@b.example',
    patch: {
      personalEmail: { address: 'A@b.example' },
      person: { age: 42 },
      consents: { marketing: { email: 'n' }, subscriptions: { newsletter: 'y' } },
      preferences: { frequency: 'weekly' },
    },
  });
});

test('every issue is named: field, what was expected, what came', () => {
  const r = checkSubmission(form, parsePosted('age=old&emailOptIn=maybe&freq=daily&extra=1'));
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.issues, [
    {
      field: 'extra',
      message: 'the form has no field "extra"',
      expected: 'one of email, age, emailOptIn, news, freq',
      received: '"1"',
    },
    {
      field: 'email',
      message: 'Email is required',
      expected: 'an email address',
      received: 'nothing',
    },
    { field: 'age', message: 'Age is not a number', expected: 'a number', received: '"old"' },
    {
      field: 'emailOptIn',
      message: 'Emails: a checkbox posts "on" or nothing',
      expected: '"on" or nothing',
      received: '"maybe"',
    },
    {
      field: 'freq',
      message: 'Frequency: not one of the choices',
      expected: 'one of "weekly", "monthly"',
      received: '"daily"',
    },
  ]);
});

test('the form escapes what it shows and carries the token and the honeypot; no script', () => {
  const html = formHtml(form, {
    action: '/lp/prod/x',
    csrf: 'tok',
    profile: { personalEmail: { address: '"><script>alert(1)</script>' } },
  });
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /name="_csrf" value="tok"/);
  assert.match(html, /name="_website"/);
  const page = assemblePage(
    '<html><head></head><body><p>x</p><!--form--></body></html>',
    'T <1>',
    html,
  );
  assert.match(page, /<title>T &lt;1&gt;<\/title>/);
  assert.ok(page.indexOf('<p>x</p>') < page.indexOf('<form'));
});

test('a page answers only published and before its expiry; publishing names what is missing', () => {
  const page = landingPageSchema.parse({
    slug: 'p',
    name: 'P',
    status: 'published',
    expiresAt: '2026-01-01T00:00:00Z',
    primary: { content: { channel: 'email', subject: 'P', html: '' } },
  });
  assert.equal(pageState(page, Date.parse('2025-12-31T00:00:00Z')), 'live');
  assert.equal(pageState(page, Date.parse('2026-01-01T00:00:00Z')), 'expired');
  assert.equal(pageState({ ...page, status: 'unpublished' }, 0), 'unpublished');
  assert.deepEqual(publishIssues(page, Date.parse('2026-02-01T00:00:00Z')), [
    'primary: the page has no content (design it first)',
    'expiresAt 2026-01-01T00:00:00Z is in the past',
  ]);
  const bad = landingPageSchema.safeParse({
    ...page,
    primary: { ...page.primary, form: { ...form, thankYouPage: 'nope' } },
  });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(!bad.success && bad.error.issues), /no sub-page \\"nope\\"/);
});

test('a profile link names its sandbox, page and profile; any change or another page is refused', () => {
  const secret = 'a-secret-of-sixteen-bytes-or-more';
  const t = signProfileLink({ sandbox: 'prod', slug: 'prefs', profileId: 'p1' }, secret);
  assert.deepEqual(verifyProfileLink(t, secret, 'prod', 'prefs'), {
    sandbox: 'prod',
    slug: 'prefs',
    profileId: 'p1',
  });
  assert.equal(verifyProfileLink(t, secret, 'prod', 'other'), undefined);
  assert.equal(verifyProfileLink(t, secret, 'dev', 'prefs'), undefined);
  assert.equal(verifyProfileLink(t, 'another-secret-of-sixteen-bytes', 'prod', 'prefs'), undefined);
  const [v, body, mac] = t.split('.');
  const other = Buffer.from(JSON.stringify(['prod', 'prefs', 'p2'])).toString('base64url');
  assert.equal(verifyProfileLink(`${v}.${other}.${mac}`, secret, 'prod', 'prefs'), undefined);
  assert.equal(verifyProfileLink(`${v}.${body}.${mac}x`, secret, 'prod', 'prefs'), undefined);
});

test('a CSRF token is good for its page and profile for two hours', () => {
  const secret = 'a-secret-of-sixteen-bytes-or-more';
  const page = { sandbox: 'prod', slug: 'prefs' };
  const t = csrfToken(secret, page, 'p1', 1_000);
  assert.equal(checkCsrf(t, secret, page, 'p1', 2_000), 'ok');
  assert.equal(checkCsrf(t, secret, page, 'p2', 2_000), 'forged');
  assert.equal(checkCsrf(t, secret, page, undefined, 2_000), 'forged');
  assert.equal(checkCsrf(t, secret, { ...page, subPage: 'saved' }, 'p1', 2_000), 'forged');
  assert.equal(checkCsrf(t, secret, page, 'p1', 1_000 + CSRF_TTL_MS + 1), 'expired');
  assert.equal(checkCsrf(undefined, secret, page, 'p1', 2_000), 'missing');
  assert.equal(checkCsrf('garbage', secret, page, 'p1', 2_000), 'forged');
  assert.equal(checkCsrf(t.replace(/^1000/, '1001'), secret, page, 'p1', 2_000), 'forged');
});
