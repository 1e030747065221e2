// POST /v1/assistant/chat and /feedback: authenticated, sandbox-scoped, answered with the
// asker's permissions; bad input gets a clear 400; conversations belong to their user.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { assistantInfoSchema, chatReplySchema } from '../../src/isomorphic/api/assistant.ts';
import { conforms } from '../support/conforms.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';
import { demoTraffic } from './demo-traffic.ts';

const ADMIN = 'assist-admin-key-0123456789';
const VIEWER_PROD = 'assist-viewer-prod-key-0123456789';
const VIEWER_DEV = 'assist-viewer-dev-key-0123456789';
const INGEST_PROD = 'assist-ingest-prod-key-0123456789';

let w: LumaWorld;
let server: FastifyInstance;

async function ask(
  key: string | null,
  body: unknown,
  sandbox = 'prod',
): Promise<{ status: number; body: any }> {
  const res = await server.inject({
    method: 'POST',
    url: '/v1/assistant/chat',
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      'content-type': 'application/json',
      'x-sandbox-name': sandbox,
    },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
}
const q = (content: string, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content }],
  ...extra,
});

before(async () => {
  w = await lumaWorld();
  server = await buildServer({
    app: w.app,
    keys: [
      apiKey('admin', ADMIN),
      apiKey('viewer prod', VIEWER_PROD, ['prod'], 'viewer'),
      apiKey('viewer dev', VIEWER_DEV, ['dev'], 'viewer'),
      apiKey('ingest prod', INGEST_PROD, ['prod'], 'data-ingest'),
    ],
  });
  const created = await server.inject({
    method: 'POST',
    url: '/v1/sandboxes',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'dev', type: 'development' }),
  });
  assert.equal(created.statusCode, 201, created.body);
  await demoTraffic(w, 60);
});
after(async () => {
  await server.close();
  await w.close();
});

test('a viewer in one sandbox never gets figures from another', async () => {
  const question = 'Which journey is the most used, and how is it performing?';
  const inProd = await ask(VIEWER_PROD, q(question));
  conforms(chatReplySchema, inProd, 'POST /v1/assistant/chat (data)');
  assert.match(inProd.body.answer, /Purchase Journey/);
  assert.match(inProd.body.answer, /60 profiles entered/);

  // The dev viewer, asking about prod: refused by the route's access check.
  const crossing = await ask(VIEWER_DEV, q(question), 'prod');
  assert.equal(crossing.status, 403);
  assert.doesNotMatch(JSON.stringify(crossing.body), /Purchase Journey|60/);
  // In its own sandbox: nothing of prod's.
  for (const text of [
    question,
    'How is the Purchase Journey performing?',
    'Where are the errors and timeouts?',
    'How is email deliverability?',
    'What is waiting right now?',
    'How big are my audiences?',
  ]) {
    const own = await ask(VIEWER_DEV, q(text), 'dev');
    conforms(chatReplySchema, own, text);
    const all = JSON.stringify(own.body);
    assert.doesNotMatch(all, /Purchase Journey|purchase-journey|Luma/, text);
    assert.doesNotMatch(all, /\b60\b/, text);
  }
});

test('data the asker may not read is refused by name of the permission, not shown', async () => {
  const r = await ask(INGEST_PROD, q('Which journey is the most used, and how is it performing?'));
  assert.equal(r.status, 200);
  assert.match(r.body.answer, /journeys\.view/);
  assert.doesNotMatch(r.body.answer, /Purchase Journey|60 profiles/);
  const a = await ask(INGEST_PROD, q('How big are my audiences?'));
  assert.match(a.body.answer, /audiences\.view/);
});

test('without a key the route is refused; bad input is a 400 naming the field', async () => {
  assert.equal((await ask(null, q('hello'))).status, 401);
  const cases: Array<[unknown, string]> = [
    [{}, 'messages'],
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'assistant', content: 'hi' }] }, 'messages'],
    [{ messages: [{ role: 'system', content: 'hi' }] }, 'messages.0.role'],
    [{ messages: [{ role: 'user', content: '' }] }, 'messages.0.content'],
    [{ messages: [{ role: 'user', content: 'x'.repeat(4001) }] }, 'messages.0.content'],
    [q('hi', { conversationId: 'nope' }), 'conversationId'],
    [q('hi', { stream: 'yes' }), ''],
  ];
  for (const [body, path] of cases) {
    const r = await ask(ADMIN, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.code, 'validation_failed');
    assert.ok(
      r.body.error.issues.some((i: { path: string }) => i.path.includes(path)),
      `${JSON.stringify(body)} → ${JSON.stringify(r.body.error.issues)}`,
    );
  }
  const notJson = await ask(ADMIN, '{"messages":');
  assert.equal(notJson.status, 400);
});

test('a conversation is its user’s: follow-ups remember the journey; others get 404; feedback is recorded', async () => {
  const first = await ask(VIEWER_PROD, q('How is the Purchase Journey performing?'));
  conforms(chatReplySchema, first, 'a journey’s performance');
  conforms(chatReplySchema, await ask(VIEWER_PROD, q('How do frequency caps work?')), 'docs');
  const id: string = first.body.conversationId;
  assert.match(id, /^[0-9a-f-]{36}$/);
  const follow = await ask(
    VIEWER_PROD,
    q('And how is it doing in figures?', { conversationId: id }),
  );
  assert.equal(follow.status, 200);
  assert.equal(follow.body.conversationId, id);
  assert.match(follow.body.answer, /Purchase Journey/);

  const stolen = await ask(ADMIN, q('How is it doing?', { conversationId: id }));
  assert.equal(stolen.status, 404);
  const otherSandbox = await ask(VIEWER_DEV, q('How is it doing?', { conversationId: id }), 'dev');
  assert.equal(otherSandbox.status, 404);

  const feedback = (key: string, body: unknown) =>
    server.inject({
      method: 'POST',
      url: '/v1/assistant/feedback',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  assert.equal(
    (await feedback(VIEWER_PROD, { conversationId: id, helpful: true })).statusCode,
    204,
  );
  assert.equal((await feedback(ADMIN, { conversationId: id, helpful: false })).statusCode, 404);
  assert.equal((await feedback(VIEWER_PROD, { conversationId: id })).statusCode, 400);
});

test('GET /v1/assistant says it runs without a model and suggests questions', async () => {
  const res = await server.inject({
    method: 'GET',
    url: '/v1/assistant',
    headers: { authorization: `Bearer ${VIEWER_PROD}` },
  });
  const body = JSON.parse(res.body);
  conforms(assistantInfoSchema, { status: res.statusCode, body }, 'GET /v1/assistant');
  assert.equal(body.mode, 'no-model');
  assert.ok(body.suggestions.includes('Which journey is the most used, and how is it performing?'));
  assert.ok(
    body.suggestions.includes('How is the Purchase Journey performing?'),
    'the busiest journey, by name',
  );
  const dev = await server.inject({
    method: 'GET',
    url: '/v1/assistant',
    headers: { authorization: `Bearer ${VIEWER_DEV}`, 'x-sandbox-name': 'dev' },
  });
  assert.ok(!dev.body.includes('Purchase'), 'another sandbox suggests none of prod’s journeys');
});

test('with Accept: text/event-stream the answer comes as server-sent events', async () => {
  const res = await server.inject({
    method: 'POST',
    url: '/v1/assistant/chat',
    headers: {
      authorization: `Bearer ${VIEWER_PROD}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    payload: JSON.stringify(q('Which journey is the most used, and how is it performing?')),
  });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/event-stream/);
  const events = res.body
    .trim()
    .split('\n\n')
    .map((block) => {
      const [name, data] = block.split('\n') as [string, string];
      return { name: name.replace('event: ', ''), data: JSON.parse(data.replace('data: ', '')) };
    });
  assert.equal(events[0]!.name, 'meta');
  assert.equal(events.at(-1)!.name, 'done');
  const text = events
    .filter((e) => e.name === 'delta')
    .map((e) => e.data.text)
    .join('');
  assert.equal(text, events.at(-1)!.data.answer);
  assert.match(text, /Purchase Journey/);
  assert.ok(events.some((e) => e.name === 'citations' && e.data.length > 0));
  assert.ok(events.some((e) => e.name === 'data'));
});

test('each user has a rate limit: past it, 429 with retry-after; another user still asks', async () => {
  const limited = await buildServer({
    app: w.app,
    keys: [apiKey('admin', ADMIN), apiKey('viewer prod', VIEWER_PROD, ['prod'], 'viewer')],
    assistant: { model: null, questionsPerMinute: 2 },
  });
  try {
    const post = (key: string) =>
      limited.inject({
        method: 'POST',
        url: '/v1/assistant/chat',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify(q('What is waiting right now?')),
      });
    assert.equal((await post(VIEWER_PROD)).statusCode, 200);
    assert.equal((await post(VIEWER_PROD)).statusCode, 200);
    const third = await post(VIEWER_PROD);
    assert.equal(third.statusCode, 429);
    assert.equal(JSON.parse(third.body).error.code, 'rate_limited');
    assert.ok(Number(third.headers['retry-after']) > 0);
    assert.equal((await post(ADMIN)).statusCode, 200);
  } finally {
    await limited.close();
  }
});
