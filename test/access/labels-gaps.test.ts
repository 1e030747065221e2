// Access labels beyond lists and reads: a content manager whose role holds "brand" but not "finance"
// cannot learn of, nor use, a "finance" fragment, content template, audience or journey through the
// designer's tools (personalization, rendering, proofs, checks, code view), the audience jobs and
// memberships, or the audit log. What it is refused reads exactly as for an object that does not
// exist. The admin sees and uses everything.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import type { RoleDefinition } from '../../src/access/roles.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';

const ADMIN = 'gaps-admin-key-0123456789';
const BRAND = 'gaps-brand-content-key-0123456789';
const BRAND_MESSAGES = 'gaps-brand-messages-key-0123456789';

/** A content manager of the brand team who may also read audiences, profiles, journeys and the audit log. */
const brandContent: RoleDefinition = {
  name: 'brand-content',
  title: 'Brand content',
  description: 'Content of the brand team',
  builtIn: false,
  permissions: [
    'content.view',
    'content.manage',
    'content.delete',
    'audiences.view',
    'audiences.manage',
    'profiles.read',
    'journeys.view',
    'audit.view',
  ],
  labels: ['brand'],
};

let w: LumaWorld;
let server: FastifyInstance;
type Answer = { status: number; body: any; text: string };

async function call(
  key: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Answer> {
  const payload =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await server.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(payload !== undefined ? { 'content-type': contentType } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });
  await w.app.engine.settle();
  let parsed: unknown = null;
  try {
    parsed = res.body ? JSON.parse(res.body) : null;
  } catch {
    parsed = null;
  }
  return { status: res.statusCode, body: parsed, text: res.body };
}
const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  call(ADMIN, method, url, body);
const brand = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  call(BRAND, method, url, body);

/** Whether an answer says anything of the finance objects (their ids, names or content). */
const mentionsFinance = (a: Answer): boolean =>
  /finance|Figures unaudited|Q3 revenue|Finance VIPs/i.test(a.text);

/** The answer for a missing object, with its id swapped in: what a hidden one must read as. */
const asMissing = (a: Answer, missing: string, hidden: string): unknown =>
  JSON.parse(a.text.split(missing).join(hidden));

const emailWith = (html: string) => ({ channel: 'email', subject: 'Hello', html });
const documentWith = (fragmentId: string) => ({
  body: [
    {
      kind: 'structure',
      id: 's',
      columns: [{ id: 'c', blocks: [{ kind: 'fragment', id: 'f', fragmentId }] }],
    },
  ],
});
const VIP = 'vip@finance.example';

before(async () => {
  w = await lumaWorld();
  server = await buildServer({
    app: w.app,
    keys: [
      apiKey('admin', ADMIN),
      apiKey('brand content', BRAND, ['prod'], brandContent),
      apiKey('brand messages', BRAND_MESSAGES, ['prod'], {
        ...brandContent,
        name: 'brand-messages',
        permissions: [...brandContent.permissions, 'messages.content'],
      }),
    ],
  });
  const created = async (url: string, body: unknown) =>
    assert.equal((await admin('POST', url, body)).status, 201, url);
  await created('/v1/fragments', {
    id: 'finance-footer',
    name: 'Finance footer',
    status: 'live',
    labels: ['finance'],
    content: { type: 'expression', source: '<p>Figures unaudited.</p>' },
  });
  await created('/v1/fragments', {
    id: 'finance-banner',
    name: 'Finance banner',
    status: 'live',
    labels: ['finance'],
    content: { type: 'visual', blocks: [{ kind: 'text', id: 't', content: '<p>Q3 revenue</p>' }] },
  });
  await created('/v1/content-templates', {
    id: 'finance-letter',
    name: 'Finance letter',
    channel: 'email',
    labels: ['finance'],
    content: { channel: 'email', subject: 'Your quarter', html: '<p>Q3 revenue up</p>' },
  });
  await created('/v1/content-templates', {
    id: 'brand-letter',
    name: 'Brand letter',
    channel: 'email',
    labels: ['brand'],
    content: { channel: 'email', subject: 'News', html: '<p>Luma news</p>' },
  });
  await created('/v1/audiences', {
    name: 'Finance VIPs',
    origin: 'uploaded',
    namespace: 'Email',
    labels: ['finance'],
  });
  await created('/v1/audiences', {
    name: 'Brand fans',
    origin: 'uploaded',
    namespace: 'Email',
    labels: ['brand'],
  });
  // Streaming twins that every profile qualifies for: memberships a render for a stored profile reads.
  const everyone = {
    kind: 'not',
    rule: { kind: 'attribute', path: 'nobody.has.this', op: 'exists' },
  };
  await created('/v1/audiences', {
    name: 'Finance everyone',
    origin: 'streaming',
    namespace: 'Email',
    definition: everyone,
    labels: ['finance'],
  });
  await created('/v1/audiences', {
    name: 'Brand everyone',
    origin: 'streaming',
    namespace: 'Email',
    definition: everyone,
    labels: ['brand'],
  });
  for (const name of ['Finance%20VIPs', 'Brand%20fans']) {
    const up = await call(
      ADMIN,
      'POST',
      `/v1/audiences/${name}/upload?mode=replace&idColumn=email`,
      `email\n${VIP}\n`,
      'text/csv',
    );
    assert.equal(up.status, 200, up.text);
    assert.equal(
      (await admin('PUT', `/v1/audiences/${name}/schedule`, { everySeconds: 3600 })).status,
      200,
    );
  }
  const purchase = await admin('GET', '/v1/journeys/purchase-journey');
  await created('/v1/journeys', {
    ...purchase.body.latest.definition,
    id: 'finance-journey',
    name: 'Finance journey',
    labels: ['finance'],
  });
});
after(async () => {
  await server.close();
  await w.close();
});

describe('audiences a content manager without "finance" may not see', () => {
  test("audience jobs: the finance audience's schedule is not listed; the brand one is", async () => {
    const jobs = await brand('GET', '/v1/audience-jobs');
    assert.equal(jobs.status, 200);
    assert.ok(
      jobs.body.items.some((j: { audience?: string }) => j.audience === 'Brand fans'),
      jobs.text,
    );
    assert.ok(!mentionsFinance(jobs), jobs.text);
    assert.ok(
      (await admin('GET', '/v1/audience-jobs')).body.items.some(
        (j: { audience?: string }) => j.audience === 'Finance VIPs',
      ),
    );
  });

  test("a profile's memberships leave the finance audience out", async () => {
    const url = `/v1/profiles/Email/${encodeURIComponent(VIP)}/audiences`;
    const mine = await brand('GET', url);
    assert.equal(mine.status, 200);
    const names = mine.body.items.map((i: { audience: string }) => i.audience);
    assert.ok(names.includes('Brand fans') && !names.includes('Finance VIPs'), names.join(', '));
    assert.ok(
      (await admin('GET', url)).body.items.some(
        (i: { audience: string }) => i.audience === 'Finance VIPs',
      ),
    );
  });

  test("an audience from the feedback of the finance journey, or over the finance audience's name, is refused as not found (as for a journey that does not exist)", async () => {
    const fromJourney = await brand('POST', '/v1/audiences/from-feedback', {
      name: 'Clickers',
      action: 'clicked',
      journeyId: 'finance-journey',
    });
    const fromMissing = await brand('POST', '/v1/audiences/from-feedback', {
      name: 'Clickers',
      action: 'clicked',
      journeyId: 'no-such-journey',
    });
    assert.equal(fromJourney.status, 404, fromJourney.text);
    assert.deepEqual(
      fromJourney.body,
      asMissing(fromMissing, 'no-such-journey', 'finance-journey'),
    );
    const overName = await brand('POST', '/v1/audiences/from-feedback', {
      name: 'Finance VIPs',
      action: 'clicked',
    });
    assert.equal(overName.status, 404, overName.text);
    assert.equal((await admin('GET', '/v1/audiences/Clickers')).status, 404, 'nothing was created');
  });

  test('the personalization tree offers the brand audience, not the finance one', async () => {
    const tree = await brand('GET', '/v1/personalization/tree');
    assert.equal(tree.status, 200);
    assert.ok(tree.text.includes('Brand fans'));
    assert.ok(!mentionsFinance(tree), 'no finance audience');
    assert.ok((await admin('GET', '/v1/personalization/tree')).text.includes('Finance VIPs'));
  });
});

describe('the finance journey as a place for personalization', () => {
  const places: Array<['GET' | 'POST', string, Record<string, unknown>]> = [
    ['GET', '/v1/personalization/tree?journeyId=JOURNEY', {}],
    [
      'POST',
      '/v1/personalization/validate',
      { source: '{{profile.person.name.firstName}}', journeyId: 'JOURNEY' },
    ],
    ['POST', '/v1/personalization/complete', { source: '{{', cursor: 2, journeyId: 'JOURNEY' }],
    [
      'POST',
      '/v1/content/check',
      { content: emailWith('<p>Hi</p>'), journeyId: 'JOURNEY', marketing: false },
    ],
  ];
  for (const [method, url, body] of places) {
    test(`${method} ${url.split('?')[0]} with its journeyId: 404 as for a journey that does not exist`, async () => {
      const at = (journey: string) =>
        brand(
          method,
          url.replace('JOURNEY', journey),
          method === 'POST' ? { ...body, journeyId: journey } : undefined,
        );
      const hidden = await at('finance-journey');
      assert.equal(hidden.status, 404, hidden.text);
      assert.deepEqual(
        hidden.body,
        asMissing(await at('no-such-journey'), 'no-such-journey', 'finance-journey'),
      );
      const asAdmin = await admin(
        method,
        url.replace('JOURNEY', 'finance-journey'),
        method === 'POST' ? { ...body, journeyId: 'finance-journey' } : undefined,
      );
      assert.equal(asAdmin.status, 200, asAdmin.text);
    });
  }
});

describe('rendering and the content tools with finance content', () => {
  test('POST /v1/render of content including the finance fragment answers as for a missing fragment', async () => {
    const render = (id: string, key = BRAND) =>
      call(key, 'POST', '/v1/render', {
        content: emailWith(`<p>Hi</p>{{fragment id='ajo:${id}'}}`),
      });
    const hidden = await render('finance-footer');
    const missing = await render('no-such-fragment');
    assert.notEqual(hidden.status, 200);
    assert.equal(hidden.status, missing.status);
    assert.deepEqual(hidden.body, asMissing(missing, 'no-such-fragment', 'finance-footer'));
    assert.ok(!hidden.text.includes('Figures unaudited'));
    const asAdmin = await render('finance-footer', ADMIN);
    assert.equal(asAdmin.status, 200);
    assert.match(asAdmin.body.html, /Figures unaudited/);
  });

  test('POST /v1/render and /v1/render/proof of the finance template: 404 as for a template that does not exist', async () => {
    for (const url of ['/v1/render', '/v1/render/proof']) {
      const body = (templateId: string) => ({
        templateId,
        profile: {},
        ...(url.endsWith('proof') ? { address: 'proofs@luma.example' } : {}),
      });
      const hidden = await brand('POST', url, body('finance-letter'));
      assert.equal(hidden.status, 404, `${url}: ${hidden.text}`);
      assert.deepEqual(
        hidden.body,
        asMissing(
          await brand('POST', url, body('no-such-template')),
          'no-such-template',
          'finance-letter',
        ),
      );
    }
    assert.equal(
      (await brand('POST', '/v1/render', { templateId: 'brand-letter', profile: {} })).status,
      200,
      'a template it holds the label of renders',
    );
    const asAdmin = await admin('POST', '/v1/render', {
      templateId: 'finance-letter',
      profile: {},
    });
    assert.equal(asAdmin.status, 200);
    assert.match(asAdmin.body.html, /Q3 revenue up/);
  });

  test('POST /v1/render with the render limits of a finance channel configuration: 404 as for one that does not exist', async () => {
    const configs = await admin('GET', '/v1/channel-configurations');
    const email = configs.body.items.find(
      (c: { spec: { channel?: string } }) => c.spec.channel === 'email',
    );
    assert.ok(email, configs.text);
    assert.equal(
      (
        await admin('POST', '/v1/channel-configurations', {
          ...email.spec,
          name: 'finance-mail',
          labels: ['finance'],
        })
      ).status,
      201,
    );
    const render = (configuration: string, key = BRAND) =>
      call(key, 'POST', '/v1/render', { content: emailWith('<p>Hi</p>'), configuration });
    const hidden = await render('finance-mail');
    assert.equal(hidden.status, 404, hidden.text);
    assert.deepEqual(
      hidden.body,
      asMissing(await render('no-such-configuration'), 'no-such-configuration', 'finance-mail'),
    );
    assert.equal((await render('finance-mail', ADMIN)).status, 200);
  });

  test('POST /v1/render/template-edit against the finance template: 404', async () => {
    const content = emailWith('<p>x</p>');
    const hidden = await brand('POST', '/v1/render/template-edit', {
      templateId: 'finance-letter',
      before: content,
      after: content,
    });
    assert.equal(hidden.status, 404);
    assert.deepEqual(
      hidden.body,
      asMissing(
        await brand('POST', '/v1/render/template-edit', {
          templateId: 'no-such-template',
          before: content,
          after: content,
        }),
        'no-such-template',
        'finance-letter',
      ),
    );
  });

  test('rendering for a stored profile names and uses only the audiences one may see', async () => {
    const body = {
      content: emailWith('<p>{{#if (inAudience "Finance everyone")}}VIP{{else}}plain{{/if}}</p>'),
      profileId: { namespace: 'Email', id: VIP },
    };
    const mine = await brand('POST', '/v1/render', body);
    assert.equal(mine.status, 200, mine.text);
    const asAdmin = await admin('POST', '/v1/render', body);
    assert.ok(
      asAdmin.body.usedAudiences.includes('Finance everyone'),
      `the admin's render uses it: ${asAdmin.text}`,
    );
    assert.match(asAdmin.body.html, /VIP/);
    assert.ok(
      mine.body.usedAudiences.includes('Brand everyone') &&
        !mine.body.usedAudiences.includes('Finance everyone'),
      mine.body.usedAudiences.join(', '),
    );
    assert.match(
      mine.body.html,
      /plain/,
      'membership of the finance audience is not probed through a condition',
    );
  });

  test('the code view and the canvas preview: a finance fragment block answers as a missing one', async () => {
    const tools: Array<[string, (id: string) => unknown]> = [
      ['/v1/content/to-code', (id) => ({ document: documentWith(id), format: 'html' })],
      [
        '/v1/content/compile-preview',
        (id) => ({ content: { channel: 'email', subject: 'Hi', document: documentWith(id) } }),
      ],
      [
        '/v1/content/compile-preview',
        (id) => ({
          content: emailWith(
            `{{fragment id='ajo:${id === 'finance-banner' ? 'finance-footer' : id}'}}`,
          ),
        }),
      ],
    ];
    for (const [url, body] of tools) {
      const hidden = await brand('POST', url, body('finance-banner'));
      const missing = await brand('POST', url, body('no-such-fragment'));
      assert.notEqual(hidden.status, 200, `${url}: ${hidden.text}`);
      assert.equal(hidden.status, missing.status, url);
      assert.ok(!/Q3 revenue|Figures unaudited/.test(hidden.text), hidden.text);
      const asAdmin = await admin('POST', url, body('finance-banner'));
      assert.equal(asAdmin.status, 200, `${url} as admin: ${asAdmin.text}`);
    }
  });

  test('pre-send checks of content with the finance fragment: as a missing fragment', async () => {
    const check = (id: string, key = BRAND) =>
      call(key, 'POST', '/v1/content/check', {
        content: emailWith(`<p>Hi</p>{{fragment id='ajo:${id}'}}`),
        marketing: false,
      });
    const hidden = await check('finance-footer');
    const missing = await check('no-such-fragment');
    assert.equal(hidden.status, missing.status);
    assert.deepEqual(hidden.body, asMissing(missing, 'no-such-fragment', 'finance-footer'));
    assert.notDeepEqual(
      (await check('finance-footer', ADMIN)).body,
      hidden.body,
      "the admin's check finds it",
    );
  });
});

describe('the audit log', () => {
  const financeEntry = (e: { object: { kind: string; key: string } | null }): boolean =>
    e.object !== null && /finance/i.test(e.object.key);

  test('leaves out the entries about the finance objects and journey; the admin reads them', async () => {
    const mine = await brand('GET', '/v1/audit-log?limit=500');
    assert.equal(mine.status, 200, mine.text);
    assert.ok(
      mine.body.items.some(
        (e: { object: { key: string } | null }) => e.object?.key === 'brand-letter',
      ),
      "the brand template's creation is there",
    );
    assert.deepEqual(mine.body.items.filter(financeEntry), []);
    assert.ok(
      !mentionsFinance(mine),
      `nothing of them anywhere in the entries: ${JSON.stringify(mine.body.items.filter((e: unknown) => /finance/i.test(JSON.stringify(e))))}`,
    );
    const all = await admin('GET', '/v1/audit-log?limit=500');
    const keys = new Set(
      all.body.items.filter(financeEntry).map((e: { object: { key: string } }) => e.object.key),
    );
    for (const k of [
      'finance-footer',
      'finance-banner',
      'finance-letter',
      'Finance VIPs',
      'finance-journey',
    ])
      assert.ok(keys.has(k), k);
  });

  test('the approval request and cancellation of the finance journey are hidden with the journey', async () => {
    assert.equal(
      (
        await admin('PUT', '/v1/sandboxes/prod/settings', {
          retentionDays: null,
          approvals: { journeyPublish: true },
        })
      ).status,
      200,
    );
    const asked = await admin('POST', '/v1/journeys/finance-journey/approval-requests', {
      comment: 'Quarter close',
    });
    assert.equal(asked.status, 201, asked.text);
    assert.equal((await admin('POST', `/v1/approvals/${asked.body.id}/cancel`, {})).status, 200);
    assert.equal(
      (
        await admin('PUT', '/v1/sandboxes/prod/settings', {
          retentionDays: null,
          approvals: { journeyPublish: false },
        })
      ).status,
      200,
    );
    const byAdmin = await admin('GET', '/v1/audit-log?action=approval.*');
    assert.deepEqual(
      byAdmin.body.items.map((e: { action: string }) => e.action),
      ['approval.cancel', 'approval.request'],
    );
    assert.deepEqual((await brand('GET', '/v1/audit-log?action=approval.*')).body.items, []);
  });

  test('pages stay full and chain over hidden entries', async () => {
    const whole = (await brand('GET', '/v1/audit-log?limit=500')).body.items.map(
      (e: { id: string }) => e.id,
    );
    const paged: string[] = [];
    let next: string | null = null;
    do {
      const page = await brand('GET', `/v1/audit-log?limit=3${next ? `&before=${next}` : ''}`);
      assert.equal(page.status, 200);
      if (page.body.next !== null)
        assert.equal(page.body.items.length, 3, 'a page is short only at the end');
      paged.push(...page.body.items.map((e: { id: string }) => e.id));
      next = page.body.next;
    } while (next !== null);
    assert.deepEqual(paged, whole);
  });

  test('the export leaves them out too', async () => {
    const exported = await brand('GET', '/v1/audit-log/export');
    assert.equal(exported.status, 200);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length > 0);
    assert.deepEqual(lines.filter(financeEntry), []);
    assert.ok(!/finance/i.test(exported.text));
    assert.ok(/finance-journey/.test((await call(ADMIN, 'GET', '/v1/audit-log/export')).text));
  });

  test('entries about a deleted finance object are shown (no labels are left to hide them by)', async () => {
    assert.equal(
      (
        await admin('POST', '/v1/fragments', {
          id: 'finance-gone',
          name: 'Gone',
          status: 'draft',
          labels: ['finance'],
          content: { type: 'expression', source: 'x' },
        })
      ).status,
      201,
    );
    const before = await brand('GET', '/v1/audit-log?object=fragment:finance-gone');
    assert.deepEqual(before.body.items, [], 'hidden while it exists');
    assert.equal((await admin('DELETE', '/v1/fragments/finance-gone')).status, 204);
    const afterDelete = await brand('GET', '/v1/audit-log?object=fragment:finance-gone');
    assert.deepEqual(afterDelete.body.items.map((e: { action: string }) => e.action).sort(), [
      'object.create',
      'object.delete',
    ]);
  });
});

describe('the delivery log', () => {
  test('leaves out the messages of the finance journey, and ?journey=finance-journey answers as for a journey that does not exist (nothing)', async () => {
    const message = (id: string, journeyId: string, subject: string) => ({
      id,
      sandbox: 'prod',
      journeyId,
      version: 1,
      node: 'email',
      label: 'Email',
      instanceId: null,
      profileId: 'p-1',
      channel: 'email' as const,
      recipient: 'ana@luma.example',
      status: 'sent' as const,
      reason: null,
      subject,
      body: `<p>${subject}</p>`,
      text: subject,
      payload: null,
      createdAt: 1,
      updatedAt: 1,
    });
    await w.store.commit({
      messages: [
        message('m-finance', 'finance-journey', 'Q3 revenue for you'),
        message('m-luma', 'purchase-journey', 'Your Luma order'),
      ],
    });
    const seen = await call(BRAND_MESSAGES, 'GET', '/v1/messages');
    assert.equal(seen.status, 200, seen.text);
    assert.ok(
      seen.body.items.some((m: { id: string }) => m.id === 'm-luma'),
      "other journeys' messages are there",
    );
    assert.ok(!mentionsFinance(seen), seen.text);
    const missing = await call(BRAND_MESSAGES, 'GET', '/v1/messages?journey=no-such-journey');
    const hidden = await call(BRAND_MESSAGES, 'GET', '/v1/messages?journey=finance-journey');
    assert.equal(hidden.status, 200);
    assert.deepEqual(hidden.body, missing.body);
    assert.deepEqual(hidden.body.items, []);
    assert.ok(
      (await admin('GET', '/v1/messages?journey=finance-journey')).body.items.some(
        (m: { id: string }) => m.id === 'm-finance',
      ),
      'the admin reads them',
    );
  });
});

describe('what already went through the filters', () => {
  test("the designer's fragment and template lists leave the finance ones out", async () => {
    for (const url of ['/v1/fragments', '/v1/content-templates']) {
      const list = await brand('GET', url);
      assert.equal(list.status, 200);
      assert.ok(!mentionsFinance(list), url);
    }
  });

  test("the finance journey's dependencies and approvals answer 404", async () => {
    assert.equal((await brand('GET', '/v1/journeys/finance-journey/dependencies')).status, 404);
    const queue = await brand('GET', '/v1/approvals');
    assert.ok(queue.status === 200 || queue.status === 403, queue.text);
    if (queue.status === 200) assert.ok(!mentionsFinance(queue));
  });
});

describe('the admin', () => {
  // Last: the audience it makes names the finance journey in an unlabelled object, which the audit log then shows.
  test("makes an audience from the finance journey's feedback", async () => {
    const asAdmin = await admin('POST', '/v1/audiences/from-feedback', {
      name: 'Journey clickers',
      action: 'clicked',
      journeyId: 'finance-journey',
    });
    assert.equal(asAdmin.status, 201, asAdmin.text);
  });
});
