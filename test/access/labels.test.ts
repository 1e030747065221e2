// Object-level access labels (AJO's OLAC): a content manager whose role holds the label "brand"
// but not "finance" does not see a fragment labelled "finance" anywhere — lists, reads, search,
// references, package export — and can neither change nor delete it, nor put the label on
// anything; the admin sees and changes everything.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import type { RoleDefinition } from '../../src/access/roles.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';

const ADMIN = 'labels-admin-key-0123456789';
const BRAND_CONTENT = 'labels-brand-content-key-0123456789';
const NO_LABELS = 'labels-no-labels-key-0123456789';

/** A content manager who may also export and import packages and read journeys, holding only "brand". */
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
    'profiles.read',
    'journeys.view',
    'journeys.manage',
    'packages.export',
    'packages.import',
  ],
  labels: ['brand'],
};
const noLabels: RoleDefinition = {
  ...brandContent,
  name: 'no-labels',
  title: 'No labels',
  labels: [],
};

let w: LumaWorld;
let server: FastifyInstance;

async function call(
  key: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await server.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  await w.app.engine.settle();
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
}
const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  call(ADMIN, method, url, body);
const brand = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
  call(BRAND_CONTENT, method, url, body);

const financeFooter = {
  id: 'finance-footer',
  name: 'Finance footer',
  status: 'live',
  labels: ['finance'],
  content: {
    type: 'expression',
    source: "<p>Figures unaudited.</p>{{fragment id='ajo:legal-text'}}",
  },
};

before(async () => {
  w = await lumaWorld();
  server = await buildServer({
    app: w.app,
    keys: [
      apiKey('admin', ADMIN),
      apiKey('brand content', BRAND_CONTENT, ['prod'], brandContent),
      apiKey('no labels', NO_LABELS, ['prod'], noLabels),
    ],
  });
  // legal-text (unlabelled) < finance-footer (finance) < quarterly-report (unlabelled template).
  assert.equal(
    (
      await admin('POST', '/v1/fragments', {
        id: 'legal-text',
        name: 'Legal text',
        status: 'live',
        content: { type: 'expression', source: '<p>Luma Inc.</p>' },
      })
    ).status,
    201,
  );
  assert.equal((await admin('POST', '/v1/fragments', financeFooter)).status, 201);
  assert.equal(
    (
      await admin('POST', '/v1/content-templates', {
        id: 'quarterly-report',
        name: 'Quarterly report',
        channel: 'email',
        content: {
          channel: 'email',
          subject: 'Your quarter',
          html: "<p>Hello</p>{{fragment id='ajo:finance-footer'}}",
        },
      })
    ).status,
    201,
  );
  assert.equal(
    (
      await admin('POST', '/v1/fragments', {
        id: 'brand-banner',
        name: 'Brand banner',
        status: 'draft',
        labels: ['brand'],
        content: { type: 'expression', source: '<p>Luma</p>' },
      })
    ).status,
    201,
  );
  assert.equal(
    (
      await admin('POST', '/v1/audiences', {
        name: 'Finance VIPs',
        origin: 'uploaded',
        namespace: 'Email',
        labels: ['finance'],
      })
    ).status,
    201,
  );
  // A journey labelled finance: a copy of the Purchase Journey's definition.
  const purchase = await admin('GET', '/v1/journeys/purchase-journey');
  assert.equal(purchase.status, 200);
  assert.equal(
    (
      await admin('POST', '/v1/journeys', {
        ...purchase.body.latest.definition,
        id: 'finance-journey',
        name: 'Finance journey',
        labels: ['finance'],
      })
    ).status,
    201,
  );
});
after(async () => {
  await server.close();
  await w.close();
});

describe('a content manager without the label "finance"', () => {
  test('does not find the finance fragment in the list, and reads it as missing', async () => {
    const list = await brand('GET', '/v1/fragments');
    assert.equal(list.status, 200);
    const keys = list.body.items.map((o: { key: string }) => o.key);
    assert.ok(
      keys.includes('legal-text') && keys.includes('brand-banner'),
      `unlabelled and brand fragments are listed: ${keys.join(', ')}`,
    );
    assert.ok(!keys.includes('finance-footer'), 'the finance fragment is not listed');
    const read = await brand('GET', '/v1/fragments/finance-footer');
    assert.equal(read.status, 404);
    assert.equal(read.body.error.code, 'not_found');
    assert.equal(
      read.body.error.message,
      (await brand('GET', '/v1/fragments/no-such-fragment')).body.error.message.replace(
        'no-such-fragment',
        'finance-footer',
      ),
      'the same answer as for a fragment that does not exist',
    );
  });

  test('cannot change, delete, archive or overwrite it: 404', async () => {
    const { labels: _l, ...unlabelled } = financeFooter;
    assert.equal(
      (await brand('PUT', '/v1/fragments/finance-footer', unlabelled)).status,
      404,
      'not even to remove the label',
    );
    assert.equal(
      (await brand('POST', '/v1/fragments', unlabelled)).status,
      404,
      'a create over its key is not a way in',
    );
    assert.equal((await brand('DELETE', '/v1/fragments/finance-footer')).status, 404);
    assert.equal((await brand('POST', '/v1/fragments/finance-footer/archive')).status, 404);
    assert.equal((await brand('GET', '/v1/fragments/finance-footer/references')).status, 404);
    const stored = await admin('GET', '/v1/fragments/finance-footer');
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body.spec.labels, ['finance'], 'unchanged');
  });

  test('cannot put the label on another fragment, nor create one with it: 403 naming the label', async () => {
    const banner = (await brand('GET', '/v1/fragments/brand-banner')).body.spec;
    const put = await brand('PUT', '/v1/fragments/brand-banner', {
      ...banner,
      labels: ['brand', 'finance'],
    });
    assert.equal(put.status, 403);
    assert.match(put.body.error.message, /"finance"/);
    assert.deepEqual(put.body.error.details.labels, ['finance']);
    const created = await brand('POST', '/v1/fragments', {
      ...financeFooter,
      id: 'my-finance',
      name: 'Mine',
    });
    assert.equal(created.status, 403);
    assert.match(created.body.error.message, /"finance"/);
    assert.equal(
      (await admin('GET', '/v1/fragments/my-finance')).status,
      404,
      'nothing was created',
    );
  });

  test('may put and remove a label it holds', async () => {
    const legal = (await brand('GET', '/v1/fragments/legal-text')).body.spec;
    assert.equal(
      (await brand('PUT', '/v1/fragments/legal-text', { ...legal, labels: ['brand'] })).status,
      200,
    );
    assert.deepEqual((await brand('GET', '/v1/fragments/legal-text')).body.spec.labels, ['brand']);
    assert.equal(
      (await brand('PUT', '/v1/fragments/legal-text', { ...legal, labels: [] })).status,
      200,
    );
    // A role holding no label at all may not touch a labelled object.
    assert.equal((await call(NO_LABELS, 'GET', '/v1/fragments/brand-banner')).status, 404);
  });

  test('sees who uses an object without the finance fragment: counted as hidden, not named', async () => {
    const refs = await brand('GET', '/v1/fragments/legal-text/references');
    assert.equal(refs.status, 200);
    const ids = refs.body.items.map((i: { kind: string; key: string }) => `${i.kind}:${i.key}`);
    assert.ok(!ids.includes('fragment:finance-footer'), `not named: ${ids.join(', ')}`);
    assert.ok(
      ids.includes('contentTemplate:quarterly-report'),
      'the template that uses it through the finance fragment is visible',
    );
    const report = refs.body.items.find((i: { key: string }) => i.key === 'quarterly-report');
    assert.deepEqual(report.via, [], 'the path through the hidden fragment is not shown');
    assert.equal(refs.body.hidden, 1);
    assert.equal(refs.body.inUse, true, 'still in use: a hidden user keeps it from being deleted');
    // Nor does a refused delete name it.
    const del = await brand('DELETE', '/v1/fragments/legal-text');
    assert.equal(del.status, 409);
    assert.equal(del.body.error.code, 'in_use');
    assert.ok(!JSON.stringify(del.body).includes('finance'), JSON.stringify(del.body));
    assert.match(del.body.error.message, /Quarterly report.*1 you may not see/);
    const asAdmin = await admin('GET', '/v1/fragments/legal-text/references');
    assert.equal(asAdmin.body.hidden, 0);
    assert.ok(asAdmin.body.items.some((i: { key: string }) => i.key === 'finance-footer'));
  });

  test('package export: left out of the sandbox export; refused for a template that uses it; not found when named', async () => {
    const all = await brand('GET', '/v1/packages/export');
    assert.equal(all.status, 200);
    const exported = all.body.objects.map(
      (o: { kind: string; spec: { id?: string; name?: string }; id?: string }) =>
        `${o.kind}:${o.id ?? o.spec.id ?? o.spec.name}`,
    );
    assert.ok(!exported.includes('fragment:finance-footer'), 'the fragment is not in the export');
    assert.ok(!exported.includes('journey:finance-journey'), 'nor the finance journey');
    assert.ok(exported.includes('fragment:legal-text'));
    assert.ok(
      !JSON.stringify(all.body).includes('Figures unaudited'),
      'its content is nowhere in the export',
    );

    const viaTemplate = await brand(
      'GET',
      '/v1/packages/export?objects=contentTemplate:quarterly-report',
    );
    assert.equal(viaTemplate.status, 403);
    assert.ok(
      !JSON.stringify(viaTemplate.body).includes('finance'),
      `the refusal names nothing: ${JSON.stringify(viaTemplate.body)}`,
    );
    assert.equal(
      (await brand('GET', '/v1/packages/export?objects=fragment:finance-footer')).status,
      404,
    );

    const asAdmin = await admin(
      'GET',
      '/v1/packages/export?objects=contentTemplate:quarterly-report',
    );
    assert.equal(asAdmin.status, 200);
    const carried = asAdmin.body.objects.find(
      (o: { spec: { id?: string } }) => o.spec.id === 'finance-footer',
    );
    assert.deepEqual(carried?.spec.labels, ['finance'], 'packages carry the labels');
  });

  test('package apply cannot overwrite it nor bring the label in', async () => {
    const pkg = (objects: unknown[]) => ({ format: 'waymark.package/v1', name: 'sneaky', objects });
    const format = (await admin('GET', '/v1/packages/export?objects=fragment:legal-text')).body
      .format;
    const over = await brand('POST', '/v1/packages/apply', {
      ...pkg([{ kind: 'fragment', spec: { ...financeFooter, labels: [] } }]),
      format,
    });
    assert.equal(over.status, 403);
    assert.ok(!JSON.stringify(over.body).includes('finance'), 'names nothing');
    const labelled = await brand('POST', '/v1/packages/apply', {
      ...pkg([{ kind: 'fragment', spec: { ...financeFooter, id: 'new-finance' } }]),
      format,
    });
    assert.equal(labelled.status, 403);
    assert.match(labelled.body.error.message, /"finance"/);
  });

  test('does not find it, nor the finance journey, in the quick search', async () => {
    const hits = await brand('GET', '/v1/search?q=finance');
    assert.equal(hits.status, 200);
    assert.deepEqual(hits.body.items, [], `nothing: ${JSON.stringify(hits.body.items)}`);
    const adminHits = await admin('GET', '/v1/search?q=finance');
    assert.deepEqual(
      adminHits.body.items.map((h: { kind: string; id: string }) => `${h.kind}:${h.id}`).sort(),
      ['audience:Finance VIPs', 'fragment:finance-footer', 'journey:finance-journey'],
    );
  });

  test('does not see the finance journey: absent from lists (with counts), 404 on it and on every route under it', async () => {
    for (const url of ['/v1/journeys', '/v1/journeys?include=counts']) {
      const list = await brand('GET', url);
      assert.equal(list.status, 200);
      const ids = list.body.items.map((j: { id: string }) => j.id);
      assert.ok(
        ids.includes('purchase-journey') && !ids.includes('finance-journey'),
        `${url}: ${ids.join(', ')}`,
      );
    }
    for (const [method, url] of [
      ['GET', ''],
      ['GET', '/versions'],
      ['GET', '/report'],
      ['GET', '/report/timeline'],
      ['GET', '/dependencies'],
      ['GET', '/test-runs'],
      ['POST', '/validate'],
      ['POST', '/versions'],
    ] as const) {
      assert.equal(
        (await brand(method, `/v1/journeys/finance-journey${url}`)).status,
        404,
        `${method} ${url}`,
      );
    }
    const def = (await admin('GET', '/v1/journeys/finance-journey')).body.latest.definition;
    assert.equal(
      (await brand('PUT', '/v1/journeys/finance-journey', { ...def, labels: [] })).status,
      404,
    );
    assert.equal(
      (await admin('GET', '/v1/journeys/finance-journey')).status,
      200,
      'the admin sees it',
    );
    const created = await brand('POST', '/v1/journeys', {
      ...def,
      id: 'my-finance-journey',
      labels: ['finance'],
    });
    assert.equal(created.status, 403);
    assert.match(created.body.error.message, /"finance"/);
  });

  test('does not see the finance audience, nor its size or members', async () => {
    assert.ok(
      !(await brand('GET', '/v1/audiences')).body.items.some(
        (a: { key: string }) => a.key === 'Finance VIPs',
      ),
    );
    for (const url of ['', '/size', '/members', '/references'])
      assert.equal((await brand('GET', `/v1/audiences/Finance%20VIPs${url}`)).status, 404, url);
    assert.equal((await admin('GET', '/v1/audiences/Finance%20VIPs/size')).status, 200);
  });

  test('GET /v1/labels: what is in use (as far as one sees) and what one holds', async () => {
    const mine = await brand('GET', '/v1/labels');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.held, ['brand']);
    assert.deepEqual(mine.body.inUse, [{ label: 'brand', count: 1, kinds: { fragment: 1 } }]);
    const all = await admin('GET', '/v1/labels');
    assert.equal(all.body.held, '*');
    assert.deepEqual(all.body.inUse, [
      { label: 'brand', count: 1, kinds: { fragment: 1 } },
      { label: 'finance', count: 3, kinds: { journey: 1, fragment: 1, audience: 1 } },
    ]);
  });
});

describe('a visible journey that uses a hidden fragment', () => {
  test('lists what it uses without the fragment (counted as hidden); its package export is refused', async () => {
    const fragment = (await admin('GET', '/v1/fragments/order-content')).body.spec;
    assert.equal(
      (await admin('PUT', '/v1/fragments/order-content', { ...fragment, labels: ['finance'] }))
        .status,
      200,
    );
    const deps = await brand('GET', '/v1/journeys/purchase-journey/dependencies');
    assert.equal(deps.status, 200);
    assert.ok(
      !deps.body.items.some((r: { key: string }) => r.key === 'order-content'),
      'not named',
    );
    assert.equal(deps.body.hidden, 1);
    assert.equal((await admin('GET', '/v1/journeys/purchase-journey/dependencies')).body.hidden, 0);
    const exported = await brand('GET', '/v1/packages/export?journey=purchase-journey');
    assert.equal(exported.status, 403);
    assert.ok(!JSON.stringify(exported.body).includes('order-content'));
  });
});

describe('labels are validated', () => {
  test('lowercase, at most 40 characters, at most 20, each once', async () => {
    const base = {
      id: 'bad-labels',
      name: 'Bad labels',
      status: 'draft',
      content: { type: 'expression', source: 'x' },
    };
    for (const labels of [
      ['Finance'],
      ['a'.repeat(41)],
      ['x', 'x'],
      Array.from({ length: 21 }, (_, i) => `l${i}`),
      ['-x'],
    ]) {
      const r = await admin('POST', '/v1/fragments', { ...base, labels });
      assert.equal(r.status, 400, JSON.stringify(labels));
      assert.ok(
        r.body.error.issues.some((i: { path: string }) => i.path.startsWith('labels')),
        JSON.stringify(r.body.error.issues),
      );
    }
    assert.equal(
      (await admin('POST', '/v1/fragments', { ...base, labels: ['eu-2026', 'a'.repeat(40)] }))
        .status,
      201,
    );
  });
});
