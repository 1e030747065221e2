// POST /render (Fastify inject, with the project's error handler) and `waymark render`.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { renderRoutes } from '../../src/api/routes/render.ts';
import { errorHandler } from '../../src/api/errors.ts';
import { builtInRole } from '../../src/access/roles.ts';
import '../../src/api/access.ts';
import { runRender, type RenderCliIo } from '../../src/cli/commands/render-run.ts';
import { applyContentTemplate } from '../../src/content/index.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';

const { library } = loadLumaContent();
const sandboxes: string[] = [];
const proofs: Array<{ address: string; subject: string }> = [];

async function app(): Promise<ReturnType<typeof Fastify>> {
  const f = Fastify();
  f.setErrorHandler(errorHandler);
  // The routes mounted alone, without the server's access check: every request comes from an administrator of its sandbox.
  f.decorateRequest('principal', null);
  f.addHook('onRequest', async (req) => {
    const sandbox =
      typeof req.headers['x-sandbox-name'] === 'string' ? req.headers['x-sandbox-name'] : 'prod';
    req.principal = {
      actor: { kind: 'operator', id: 'test', name: 'test' },
      grants: [{ role: builtInRole('admin')!, sandboxes: ['*'] }],
      via: 'key',
      sandbox,
    };
  });
  await f.register(
    renderRoutes({
      library: async (sb) => {
        sandboxes.push(sb);
        return library;
      },
      profile: async (_sb, id) =>
        id === 'test-ana'
          ? { person: { name: { firstName: 'Ana' } }, preferredLanguage: 'es' }
          : undefined,
      sendProof: async (_sb, r, address) => {
        if (r.channel === 'email') proofs.push({ address, subject: r.subject });
        return { messageId: 'proof-1' };
      },
    }),
    { prefix: '/v1' },
  );
  return f;
}

describe('POST /v1/render', () => {
  test('a content template for a test profile: locale chosen, sandbox from the header', async () => {
    const f = await app();
    const res = await f.inject({
      method: 'POST',
      url: '/v1/render',
      headers: { 'x-sandbox-name': 'dev' },
      payload: { templateId: 'luma-cart-abandoned-email', profileId: 'test-ana' },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json() as { ok: boolean; subject: string; locale: string };
    assert.deepEqual(
      [body.ok, body.subject, body.locale],
      [true, 'Ana, tu carrito te espera', 'es_ES'],
    );
    assert.equal(sandboxes.at(-1), 'dev');
  });

  test('a message inline, a bare template, the default sandbox, and the reasons a message is not sent', async () => {
    const f = await app();
    const sms = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: {
        content: {
          channel: 'sms',
          text: 'Code {{context.journey.actions.LoyaltyService.PromoCode}}',
        },
        context: { journey: { actions: { LoyaltyService: { PromoCode: 'Z9' } } } },
      },
    });
    assert.deepEqual(sms.json(), {
      ok: true,
      channel: 'sms',
      text: 'Code Z9',
      segments: 1,
      encoding: 'GSM-7',
      warnings: [],
    });
    assert.equal(sandboxes.at(-1), 'prod');
    const bare = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: { template: '{%= upperCase(profile.n) %}', profile: { n: 'x' } },
    });
    assert.deepEqual(bare.json(), { output: 'X', warnings: [] });
    const zoned = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: {
        template: '{%= getCurrentZonedDateTime() %}',
        now: '2025-01-07T12:17:10+05:30[Asia/Kolkata]',
      },
    });
    assert.deepEqual(zoned.json(), { output: '2025-01-07T06:47:10Z', warnings: [] });
    const noLocale = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: { templateId: 'luma-cart-abandoned-email', profile: { preferredLanguage: 'de' } },
    });
    assert.equal((noLocale.json() as { reason: string }).reason, 'no_locale');
  });

  test('bad input: 400 with the path; content that does not compile: 422 with diagnostics', async () => {
    const f = await app();
    const bad = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: { content: { channel: 'fax' } },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(JSON.stringify(bad.json()), /body\.content\.channel/);
    const badNow = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: { template: 'x', now: true },
    });
    assert.equal(badNow.statusCode, 400);
    assert.match(JSON.stringify(badNow.json()), /now/);
    const invalid = await f.inject({
      method: 'POST',
      url: '/v1/render',
      payload: { content: { channel: 'email', subject: '{{#if}}', html: '' } },
    });
    assert.equal(invalid.statusCode, 422);
    assert.equal(
      (invalid.json() as { error: { diagnostics: Array<{ field: string }> } }).error.diagnostics[0]
        ?.field,
      'subject',
    );
  });

  test('a proof goes to the address through the configured sender', async () => {
    const f = await app();
    const res = await f.inject({
      method: 'POST',
      url: '/v1/render/proof',
      payload: {
        templateId: 'luma-cart-abandoned-email',
        profileId: 'test-ana',
        address: 'qa@luma.example',
      },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(proofs.at(-1), {
      address: 'qa@luma.example',
      subject: 'Ana, tu carrito te espera',
    });
  });

  test('locked template areas refuse edits through the API', async () => {
    const f = await app();
    const t = library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(t !== undefined);
    const before = applyContentTemplate(t);
    const after = structuredClone(before);
    if (after.channel === 'email' && after.document !== undefined) after.document.body.shift();
    const refused = await f.inject({
      method: 'POST',
      url: '/v1/render/template-edit',
      payload: { templateId: t.id, before, after },
    });
    assert.equal(refused.statusCode, 409);
    const err = (
      refused.json() as {
        error: { code: string; issues: Array<{ path: string; expected: string }> };
      }
    ).error;
    assert.equal(err.code, 'conflict');
    assert.deepEqual(
      err.issues.map((i) => [i.path, i.expected]),
      [
        ['header', 'no_delete'],
        ['logo', 'no_delete'],
      ],
    );
    const fine = await f.inject({
      method: 'POST',
      url: '/v1/render/template-edit',
      payload: { templateId: t.id, before, after: { ...before, subject: 'Hi' } },
    });
    assert.deepEqual([fine.statusCode, fine.json()], [200, { violations: [] }]);
  });
});

function io(
  files: Record<string, string>,
  stdin: string[] = [],
): RenderCliIo & { out: string[]; code: number } {
  const state = { out: [] as string[], code: 0 };
  return Object.assign(state, {
    readFile: async (p: string) => {
      const f = files[p];
      if (f === undefined) throw new Error('ENOENT');
      return f;
    },
    stdinLines: async function* () {
      yield* stdin;
    },
    write: (l: string) => {
      state.out.push(l);
    },
    setExitCode: (c: number) => {
      state.code = c;
    },
    now: () => 0,
  });
}

describe('waymark render', () => {
  const data = JSON.stringify({
    profile: { person: { name: { firstName: 'Ana' } } },
    context: {
      journey: {
        events: {
          LumaPurchaseEvent_Email: { productListItems: [{ name: 'Tee' }, { name: 'Cap' }] },
        },
      },
    },
  });

  test('--inline with --data and --now prints the text', async () => {
    const x = io({ 'data.json': data });
    await runRender(
      {
        inline:
          'Hi {{profile.person.name.firstName}}: {{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |i|}}{{i.name}} {{/each}}{%= formatDate(getCurrentZonedDateTime(), "yyyy-MM-dd") %}',
        data: 'data.json',
        now: '2026-11-28T10:00:00Z',
      },
      x,
    );
    assert.deepEqual([x.out, x.code], [['Hi Ana: Tee Cap 2026-11-28'], 0]);
  });

  test('--now takes a zone id in brackets, as Adobe writes date-times', async () => {
    const x = io({ 'data.json': data });
    await runRender(
      {
        inline: '{%= getCurrentZonedDateTime() %}',
        data: 'data.json',
        now: '2025-01-07T12:17:10+05:30[Asia/Kolkata]',
      },
      x,
    );
    assert.deepEqual([x.out, x.code], [['2025-01-07T06:47:10Z'], 0]);
    const y = io({ 'data.json': data });
    await runRender({ inline: 'x', data: 'data.json', now: 'yesterday' }, y);
    assert.equal(y.code, 1);
    assert.match(
      (JSON.parse(y.out[0] ?? '{}') as { error: { message: string } }).error.message,
      /now must be an ISO-8601 date-time.*got "yesterday"/,
    );
  });

  test('errors print {"error": ...} and exit 1', async () => {
    const x = io({ 'data.json': data });
    await runRender({ inline: '{{nope profile.x}}', data: 'data.json' }, x);
    assert.equal(x.code, 1);
    assert.deepEqual(Object.keys(JSON.parse(x.out[0] ?? '{}') as object), ['error']);
    const y = io({});
    await runRender({ inline: 'x', data: 'missing.json' }, y);
    assert.equal(y.code, 1);
  });

  test('--template from a --library file, with the locale chosen by the profile', async () => {
    const { library: lumaLib } = loadLumaContent();
    const lib = JSON.stringify({
      // The cart email lists the checkout's items through the Order Content fragment.
      fragments: [...lumaLib.fragments.values()],
      contentTemplates: [
        lumaLib.contentTemplate('luma-abandoned-push'),
        lumaLib.contentTemplate('luma-cart-abandoned-email'),
      ],
      languageSettings: [lumaLib.languageSettings('Luma_Language_Settings')],
      assets: [...lumaLib.assets.values()],
    });
    const x = io({
      'lib.json': lib,
      'fr.json': JSON.stringify({
        profile: { person: { name: { firstName: 'Zoé' } }, preferredLanguage: 'fr_FR' },
      }),
    });
    await runRender(
      { template: 'luma-cart-abandoned-email', library: 'lib.json', data: 'fr.json' },
      x,
    );
    const out = JSON.parse(x.out[0] ?? '{}') as { ok: boolean; subject: string; locale: string };
    assert.deepEqual(
      [x.code, out.ok, out.subject, out.locale],
      [0, true, 'Zoé, votre panier vous attend', 'fr_FR'],
    );
    const y = io({
      'lib.json': lib,
      'de.json': JSON.stringify({ profile: { preferredLanguage: 'de' } }),
    });
    await runRender(
      { template: 'luma-cart-abandoned-email', library: 'lib.json', data: 'de.json' },
      y,
    );
    assert.equal(y.code, 1);
    assert.equal((JSON.parse(y.out[0] ?? '{}') as { reason: string }).reason, 'no_locale');
  });

  test('--jsonl: one {"output"} or {"error"} per line', async () => {
    const x = io({}, [
      JSON.stringify({
        template: '{{profile.a}}-{%= profile.b ?: "none" %}',
        data: { profile: { a: 1 } },
      }),
      JSON.stringify({ template: '{%= currentTimeInMillis() %}', now: '1970-01-01T00:00:01Z' }),
      JSON.stringify({ template: '{%= nope() %}' }),
      'not json',
    ]);
    await runRender({ jsonl: true }, x);
    assert.deepEqual(
      x.out.map((l) => Object.keys(JSON.parse(l) as object)[0]),
      ['output', 'output', 'error', 'error'],
    );
    assert.deepEqual(
      x.out.slice(0, 2).map((l) => (JSON.parse(l) as { output: string }).output),
      ['1-none', '1000'],
    );
  });
});
