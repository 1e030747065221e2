// Packages, complete: the Purchase Journey exported with everything it uses (computed by the server
// from the parsed objects), applied into an empty sandbox where it validates, publishes and runs a
// checkout and a purchase end to end; the hosts that sandbox does not allow are named in the apply
// result; a choice per conflict; secrets that came redacted are listed as needing a secret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld, PROD_ONLY_KEY, type ApiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

const FRESH = { 'x-sandbox-name': 'fresh' };
type Obj = {
  kind: string;
  id?: string;
  spec: Record<string, unknown>;
  files?: Array<{ version: number; mimeType: string; base64: string }>;
};
type Result = {
  kind: string;
  key: string;
  status: string;
  copiedAs?: string;
  warnings?: Array<{ code: string; host: string; entry: string; action?: string }>;
  needsSecret?: string[];
};

async function until<T>(fn: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 250; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const keyOf = (o: Obj): string =>
  `${o.kind}:${String(o.id ?? o.spec.id ?? o.spec.code ?? o.spec.name)}`;

async function exportJourney(
  w: ApiWorld,
): Promise<{ format: string; name: string; objects: Obj[] }> {
  const r = await w.request('GET', '/v1/packages/export?journey=purchase-journey');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

describe('packages: a journey and everything it uses', () => {
  test('the Purchase Journey closure, applied into an empty sandbox, validates, publishes and runs checkout → purchase with the confirmation email', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'fresh');
    try {
      const pkg = await exportJourney(w);
      const keys = new Set(pkg.objects.map(keyOf));
      for (const k of [
        'journey:purchase-journey',
        'eventType:LumaCheckoutEvent_Email',
        'eventType:LumaPurchaseEvent_Email',
        'action:LoyaltyService',
        'channelConfiguration:EmailMarketing',
        'channelConfiguration:DXDemoApp',
        'ruleSet:Luma Marketing - Outgoing messages',
        'fragment:order-confirmation-text',
        'fragment:promo-code-fragment',
        'fragment:luma-footer-fragment',
        'fragment:order-content',
        'asset:luma-logo',
        'asset:luma-loyalty-plus',
        'asset:luma-mobile-app',
        'audience:Luma - Mobile App Users',
        'audience:Not Luma Mobile App Users',
        'languageSettings:Luma_Language_Settings',
        'profileSchema:profile',
      ])
        assert.ok(keys.has(k), `the closure holds ${k}; it holds ${[...keys].join(', ')}`);
      assert.ok(!pkg.objects.some((o) => o.kind === 'profile'), 'no profiles');
      const logo = pkg.objects.find((o) => keyOf(o) === 'asset:luma-logo')!;
      assert.equal(logo.files?.[0]?.mimeType, 'image/png');
      assert.equal(
        Buffer.from(logo.files![0]!.base64, 'base64').subarray(1, 4).toString('latin1'),
        'PNG',
        'the image bytes travel in the package',
      );

      // An empty sandbox: the plan says everything is new; the apply publishes and names the hosts not allowed.
      const plan = await w.request('POST', '/v1/packages/plan', pkg, FRESH);
      assert.equal(plan.status, 200, JSON.stringify(plan.body));
      assert.deepEqual(
        [...new Set(plan.body.objects.map((o: { state: string }) => o.state))],
        ['new'],
      );
      const applied = await w.request('POST', '/v1/packages/apply', pkg, FRESH);
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      const byKey = new Map(
        (applied.body.objects as Result[]).map((o) => [`${o.kind}:${o.key}`, o] as const),
      );
      assert.equal(
        byKey.get('journey:purchase-journey')?.status,
        'published',
        JSON.stringify(applied.body.objects),
      );
      const loyaltyHost = new URL(w.loyalty.url).host;
      const loyalty = byKey.get('action:LoyaltyService')!;
      assert.deepEqual(
        loyalty.warnings?.map((x) => [x.code, x.action, x.host]),
        [['host_not_allowed', 'LoyaltyService', loyaltyHost]],
        'the LoyaltyService host is not allowed in the new sandbox',
      );
      assert.ok(
        applied.body.warnings.some(
          (x: { kind: string; key: string }) =>
            x.kind === 'channelConfiguration' && x.key === 'EmailMarketing',
        ),
        'nor is the development SMTP server',
      );
      assert.deepEqual(
        applied.body.needsSecret,
        [
          { kind: 'channelConfiguration', key: 'DXDemoApp', path: 'apns.p8Key' },
          {
            kind: 'channelConfiguration',
            key: 'DXDemoApp',
            path: 'fcm.serviceAccount.private_key',
          },
        ],
        'the push keys came redacted: the push configuration waits for them',
      );

      // Allowing the hosts: private addresses need a key for every sandbox.
      const entries = (applied.body.warnings as Array<{ entry: string }>).map((x) => x.entry);
      const refused = await w.request(
        'POST',
        '/v1/allowed-hosts',
        { host: loyaltyHost },
        { authorization: `Bearer ${PROD_ONLY_KEY}` },
      );
      assert.equal(refused.status, 403);
      for (const entry of new Set(entries))
        assert.equal(
          (await w.request('POST', '/v1/allowed-hosts', { host: entry }, FRESH)).status,
          200,
        );
      assert.deepEqual(
        (await w.request('POST', '/v1/packages/plan', pkg, FRESH)).body.warnings,
        [],
        'nothing left to allow',
      );
      assert.equal(
        (await w.request('POST', '/v1/journeys/purchase-journey/validate', undefined, FRESH)).body
          .valid,
        true,
      );

      // A shopper of the new sandbox checks out and buys.
      const profile = {
        format: 'waymark.package/v1',
        name: 'shopper',
        objects: [
          {
            kind: 'profile',
            spec: {
              namespace: 'Email',
              id: 'jean.dupont@luma.example',
              attributes: {
                person: { name: { firstName: 'Jean', lastName: 'Dupont' } },
                personalEmail: { address: 'jean.dupont@luma.example' },
                preferredLanguage: 'fr',
                consents: { marketing: { email: 'y' } },
              },
            },
          },
        ],
      };
      assert.equal((await w.request('POST', '/v1/packages/apply', profile, FRESH)).status, 200);
      const before = w.loyalty.calls.length;
      assert.equal(
        (
          await w.request(
            'POST',
            '/v1/events',
            lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
            FRESH,
          )
        ).status,
        202,
      );
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaPurchaseEvent_Email', 'jean.dupont@luma.example', cart),
        FRESH,
      );
      const mail = await until(
        () => w.inbox.list({ to: 'jean.dupont@luma.example' })[0],
        'the order confirmation',
      );
      assert.equal(
        w.loyalty.calls.length,
        before + 1,
        'the LoyaltyService was called from the new sandbox',
      );
      assert.match(mail.html, /Didi Sport Watch/);
      assert.match(
        mail.html,
        /class="order-item"/,
        'order-content (a fragment referenced inside the email text) came along',
      );
      assert.match(
        mail.html,
        /\/assets\/fresh\/luma-logo\?v=1/,
        "the logo points at the new sandbox's copy",
      );
      const image = await w.server.inject({ method: 'GET', url: '/assets/fresh/luma-logo?v=1' });
      assert.equal(image.statusCode, 200);
      assert.equal(image.headers['content-type'], 'image/png');
    } finally {
      await w.close();
    }
  });

  test('conflicts: use the existing object, replace it, or create a copy that the package then uses', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'fresh');
    try {
      const pkg = await exportJourney(w);
      assert.equal((await w.request('POST', '/v1/packages/apply', pkg, FRESH)).status, 200);
      const again = await w.request('POST', '/v1/packages/apply', pkg, FRESH);
      assert.deepEqual(
        [...new Set((again.body.objects as Result[]).map((o) => o.status))].sort(),
        ['unchanged'],
        'applying twice changes nothing',
      );

      const changed = structuredClone(pkg);
      const edit = (k: string, fn: (spec: Record<string, unknown>) => void) =>
        fn(changed.objects.find((o) => keyOf(o) === k)!.spec);
      edit('fragment:order-content', (s) => {
        (s.content as { source: string }).source =
          '<tr class="order-item"><td>{{item.name}}</td><td>x{{item.quantity}}</td></tr>';
      });
      edit('ruleSet:Luma Marketing - Outgoing messages', (s) => {
        s.description = 'changed in the package';
      });
      edit('eventType:LumaCheckoutEvent_Email', (s) => {
        s.description = 'replaced by the package';
      });

      const plan = await w.request(
        'POST',
        '/v1/packages/plan',
        {
          package: changed,
          conflicts: {
            'fragment:order-content': 'copy',
            'ruleSet:Luma Marketing - Outgoing messages': 'use-existing',
          },
        },
        FRESH,
      );
      assert.equal(plan.status, 200, JSON.stringify(plan.body));
      const planned = new Map(
        (
          plan.body.objects as Array<{
            kind: string;
            key: string;
            state: string;
            choice?: string;
            copyAs?: string;
          }>
        ).map((o) => [`${o.kind}:${o.key}`, o] as const),
      );
      assert.deepEqual(planned.get('fragment:order-content'), {
        kind: 'fragment',
        key: 'order-content',
        state: 'differs',
        choice: 'copy',
        copyAs: 'order-content-copy',
      });
      assert.equal(
        planned.get('ruleSet:Luma Marketing - Outgoing messages')?.choice,
        'use-existing',
      );
      assert.deepEqual(
        [
          planned.get('eventType:LumaCheckoutEvent_Email')?.state,
          planned.get('eventType:LumaCheckoutEvent_Email')?.choice,
        ],
        ['differs', 'replace'],
      );
      assert.equal(planned.get('action:LoyaltyService')?.state, 'same');
      assert.deepEqual(
        planned.get('journey:purchase-journey'),
        {
          kind: 'journey',
          key: 'purchase-journey',
          state: 'differs',
          choice: 'replace',
          usesCopies: true,
        },
        'the journey differs only by the copy it now names',
      );

      const r = await w.request(
        'POST',
        '/v1/packages/apply',
        {
          package: changed,
          conflicts: {
            'fragment:order-content': 'copy',
            'ruleSet:Luma Marketing - Outgoing messages': 'use-existing',
          },
          defaultConflict: 'replace',
        },
        FRESH,
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const result = new Map(
        (r.body.objects as Result[]).map((o) => [`${o.kind}:${o.key}`, o] as const),
      );
      assert.deepEqual(
        [
          result.get('fragment:order-content')?.status,
          result.get('fragment:order-content')?.copiedAs,
        ],
        ['copied', 'order-content-copy'],
      );
      assert.equal(result.get('ruleSet:Luma Marketing - Outgoing messages')?.status, 'skipped');
      assert.equal(result.get('eventType:LumaCheckoutEvent_Email')?.status, 'updated');
      assert.equal(
        result.get('journey:purchase-journey')?.status,
        'published',
        'the journey now uses the copy: a new version',
      );

      assert.notEqual(
        (await w.request('GET', '/v1/fragments/order-content', undefined, FRESH)).body.spec.content
          .source,
        (await w.request('GET', '/v1/fragments/order-content-copy', undefined, FRESH)).body.spec
          .content.source,
      );
      assert.equal(
        (
          await w.request(
            'GET',
            `/v1/rule-sets/${encodeURIComponent('Luma Marketing - Outgoing messages')}`,
            undefined,
            FRESH,
          )
        ).body.spec.description,
        'At most 3 retargeting messages a week across email and push.',
      );
      assert.equal(
        (await w.request('GET', '/v1/event-types/LumaCheckoutEvent_Email', undefined, FRESH)).body
          .spec.description,
        'replaced by the package',
      );
      const journey = await w.request('GET', '/v1/journeys/purchase-journey', undefined, FRESH);
      assert.match(JSON.stringify(journey.body.live.definition), /ajo:order-content-copy/);
      const refs = (
        await w.request('GET', '/v1/fragments/order-content-copy/references', undefined, FRESH)
      ).body.items as Array<{ kind: string; key: string; version?: number; status?: string }>;
      assert.ok(
        refs.some((i) => i.kind === 'journey' && i.version === 2 && i.status === 'live'),
        JSON.stringify(refs),
      );

      // A journey copied: a new id and name, the original untouched.
      const renamed = structuredClone(changed);
      renamed.objects.find((o) => o.kind === 'journey')!.spec.description = 'a variant';
      const copy = await w.request(
        'POST',
        '/v1/packages/apply',
        {
          package: renamed,
          conflicts: { 'journey:purchase-journey': 'copy' },
          defaultConflict: 'use-existing',
        },
        FRESH,
      );
      const copied = (copy.body.objects as Result[]).find((o) => o.kind === 'journey')!;
      assert.deepEqual(
        [copied.key, copied.status === 'published' || copied.status === 'copied', copied.copiedAs],
        ['purchase-journey', true, 'purchase-journey-copy'],
      );
      const variant = await w.request(
        'GET',
        '/v1/journeys/purchase-journey-copy',
        undefined,
        FRESH,
      );
      assert.equal(variant.body.name, 'Purchase Journey (copy)');
      assert.equal(
        (await w.request('GET', '/v1/journeys/purchase-journey', undefined, FRESH)).body.versions
          .length,
        2,
        'the original keeps its versions',
      );
    } finally {
      await w.close();
    }
  });

  test('a secret exported redacted is imported as needing a secret: listed, never used as the text "[redacted]"', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'fresh');
    try {
      const secured = {
        name: 'SecuredApi',
        url: w.loyalty.url,
        method: 'POST',
        payload: [
          { path: 'loyaltyId', type: 'string', kind: 'variable' },
          { path: 'orderValue', type: 'decimal', kind: 'variable' },
        ],
        auth: { kind: 'bearer', token: 's3cr3t-token' },
        timeoutMs: 5000,
      };
      assert.equal((await w.request('POST', '/v1/actions', secured)).status, 201);
      const exported = await w.request('GET', '/v1/packages/export?objects=action:SecuredApi');
      assert.deepEqual(exported.body.objects.map(keyOf), ['action:SecuredApi']);
      assert.equal(exported.body.objects[0].spec.auth.token, '[redacted]');

      const applied = await w.request('POST', '/v1/packages/apply', exported.body, FRESH);
      assert.deepEqual(applied.body.needsSecret, [
        { kind: 'action', key: 'SecuredApi', path: 'auth.token' },
      ]);
      assert.deepEqual((applied.body.objects as Result[])[0]!.needsSecret, ['auth.token']);
      assert.deepEqual(
        (await w.request('GET', '/v1/actions/SecuredApi', undefined, FRESH)).body.needsSecret,
        ['auth.token'],
        'the object says so',
      );
      await w.request('POST', '/v1/allowed-hosts', { host: new URL(w.loyalty.url).host }, FRESH);
      const before = w.loyalty.calls.length;
      const call = await w.request(
        'POST',
        '/v1/actions/SecuredApi/test',
        { parameters: { loyaltyId: 'x', orderValue: 10 } },
        FRESH,
      );
      assert.equal(call.status, 422);
      assert.equal(call.body.error.code, 'secret_required');
      assert.match(call.body.error.message, /SecuredApi.*needs a secret: auth\.token/);
      assert.equal(
        w.loyalty.calls.length,
        before,
        'nothing was sent with a placeholder for a token',
      );

      // Re-applying the same package keeps it waiting; sending the secret repairs it.
      assert.equal(
        (await w.request('POST', '/v1/packages/apply', exported.body, FRESH)).body.objects[0]
          .status,
        'unchanged',
      );
      assert.equal((await w.request('PUT', '/v1/actions/SecuredApi', secured, FRESH)).status, 200);
      assert.equal(
        (await w.request('GET', '/v1/actions/SecuredApi', undefined, FRESH)).body.needsSecret,
        undefined,
      );
      const ok = await w.request(
        'POST',
        '/v1/actions/SecuredApi/test',
        { parameters: { loyaltyId: 'x', orderValue: 10 } },
        FRESH,
      );
      assert.deepEqual([ok.status, ok.body.ok], [200, true], JSON.stringify(ok.body));
      assert.equal(w.loyalty.calls.length, before + 1);
      assert.deepEqual(
        (await w.request('POST', '/v1/packages/plan', exported.body, FRESH)).body.needsSecret,
        [{ kind: 'action', key: 'SecuredApi', path: 'auth.token' }],
        'the plan says the package itself brings no secret',
      );

      // The package points the action elsewhere with a redacted token: the stored secret cannot follow.
      const elsewhere = structuredClone(exported.body);
      elsewhere.objects[0].spec.url = 'https://api.example.com/loyalty';
      const moved = await w.request('POST', '/v1/packages/apply', elsewhere, FRESH);
      assert.equal(moved.status, 200);
      assert.equal(moved.body.objects[0].status, 'skipped');
      assert.match(moved.body.objects[0].message, /destination changed/);
      assert.deepEqual(moved.body.needsSecret, [
        { kind: 'action', key: 'SecuredApi', path: 'auth.token' },
      ]);
      assert.equal(
        (await w.request('GET', '/v1/actions/SecuredApi', undefined, FRESH)).body.spec.url,
        w.loyalty.url,
        'the sandbox keeps its action',
      );
    } finally {
      await w.close();
    }
  });
});
