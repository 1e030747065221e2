// The console's translation types are inferred from src/isomorphic/api/translations.ts. A real
// server translates the lab's cart email (the development translator, with review) and an inline
// content (a provider that always fails): every answer, from the providers to a failed locale's
// error, parses strictly with its schema.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  translationProjectAnswer,
  translationProjectListAnswer,
  translationProjectSchema,
  translationProviderListAnswer,
} from '../../src/isomorphic/api/translations.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';

const CART = 'luma-cart-abandoned-email';

async function settled(w: ApiWorld, id: string): Promise<{ status: number; body: any }> {
  for (let i = 0; i < 400; i++) {
    const r = await w.request('GET', `/v1/translation-projects/${id}`);
    if (r.body.status !== 'in_progress') return r;
    await new Promise((res) => setTimeout(res, 25));
  }
  assert.fail(`project ${id} still in progress`);
}

test('translation providers and projects, through review and a failure, match their answer schemas', async () => {
  const failing = createServer((_req, res) => {
    res.statusCode = 500;
    res.end(JSON.stringify({ error: { code: 500000, message: 'down' } }));
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  const w = await apiWorld();
  try {
    w.app.translations.configure(
      [{ kind: 'development' }, { kind: 'azure', key: 'k', endpoint: url }],
      null,
      { retryDelaysMs: [5] },
    );
    conforms(
      translationProviderListAnswer,
      await w.request('GET', '/v1/translation-providers'),
      'GET /v1/translation-providers',
    );

    const started = await w.request('POST', '/v1/translation-projects', {
      source: { kind: 'content-template', key: CART },
      review: true,
    });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    conforms(translationProjectAnswer, started, 'POST /v1/translation-projects');
    const id = started.body.project.id as string;
    const ready = await settled(w, id);
    assert.equal(ready.body.status, 'ready_for_review');
    assert.ok(ready.body.result, 'the translated locales are in the answer');
    conforms(translationProjectSchema, ready, 'GET /v1/translation-projects/:id');
    const approved = await w.request(
      'POST',
      `/v1/translation-projects/${id}/targets/es_ES/approve`,
    );
    conforms(translationProjectAnswer, approved, 'POST …/targets/:locale/approve');
    const published = await w.request(
      'POST',
      `/v1/translation-projects/${id}/targets/es_ES/publish`,
    );
    conforms(translationProjectAnswer, published, 'POST …/targets/:locale/publish');

    const content = (await w.request('GET', `/v1/content-templates/${CART}`)).body.spec.content;
    const inline = await w.request('POST', '/v1/translation-projects', {
      source: { kind: 'content', content },
      languageSettings: 'Luma_Language_Settings',
      targets: ['fr_FR'],
      provider: 'azure',
    });
    conforms(translationProjectAnswer, inline, 'POST /v1/translation-projects (inline content)');
    const failed = await settled(w, inline.body.project.id as string);
    assert.equal(failed.body.targets[0].status, 'failed');
    assert.equal(typeof failed.body.targets[0].error, 'string');
    conforms(translationProjectSchema, failed, 'GET /v1/translation-projects/:id (failed)');

    conforms(
      translationProjectListAnswer,
      await w.request('GET', '/v1/translation-projects'),
      'GET /v1/translation-projects',
    );
  } finally {
    await w.close();
    await new Promise<void>((r) => failing.close(() => r()));
  }
});
