// Conversations and feedback are stored (tables assistant_conversations and assistant_feedback), on
// both stores: a conversation goes on after the server restarts on the same data, is still its
// user's only (another user, another sandbox: 404), feedback is kept, and the retention purger
// deletes conversations 30 days after their last message.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { StoreReads } from '../../src/runtime/unit-of-work/index.ts';
import type { Store } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const ANA = 'stored-conv-ana-key-0123456789';
const BEN = 'stored-conv-ben-key-0123456789';
const DAY = 86_400_000;

interface Running {
  app: Waymark;
  server: FastifyInstance;
}

async function start(store: Store, clock: ManualClock): Promise<Running> {
  const app = createWaymark({ store, clock, retention: { intervalMs: 0 } });
  const server = await buildServer({
    app,
    keys: [apiKey('ana', ANA, ['prod'], 'viewer'), apiKey('ben', BEN, ['prod'], 'viewer')],
  });
  return { app, server };
}

async function stop(r: Running): Promise<void> {
  await r.server.close();
  await r.app.close();
}

async function ask(
  r: Running,
  key: string,
  content: string,
  conversationId?: string,
): Promise<{ status: number; body: any }> {
  const res = await r.server.inject({
    method: 'POST',
    url: '/v1/assistant/chat',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'x-sandbox-name': 'prod',
    },
    payload: JSON.stringify({
      messages: [{ role: 'user', content }],
      ...(conversationId ? { conversationId } : {}),
    }),
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

async function feedback(r: Running, key: string, body: unknown): Promise<number> {
  const res = await r.server.inject({
    method: 'POST',
    url: '/v1/assistant/feedback',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'x-sandbox-name': 'prod',
    },
    payload: JSON.stringify(body),
  });
  return res.statusCode;
}

function scenario(kind: string, open: () => Promise<Store>, cleanup: () => Promise<void>): void {
  describe(`stored conversations: ${kind}`, () => {
    test('a conversation survives a restart, stays its user’s, keeps its feedback, and is purged after 30 days', async () => {
      const clock = new ManualClock(Date.parse('2026-11-02T09:00:00Z'));
      try {
        let r = await start(await open(), clock);
        const first = await ask(r, ANA, 'How do I test a journey before publishing it?');
        assert.equal(first.status, 200, JSON.stringify(first.body));
        const id: string = first.body.conversationId;
        assert.equal(await feedback(r, ANA, { conversationId: id, helpful: true }), 204);
        await stop(r);

        // The same data, a new server.
        r = await start(await open(), clock);
        const stored = await r.app.reads.getConversation('prod', id);
        assert.deepEqual(
          (stored?.messages as Array<{ role: string }>).map((m) => m.role),
          ['user', 'assistant'],
        );
        const again = await ask(r, ANA, 'How do frequency caps work?', id);
        assert.equal(again.status, 200, JSON.stringify(again.body));
        assert.equal(again.body.conversationId, id);
        assert.equal(
          ((await r.app.reads.getConversation('prod', id))?.messages as unknown[]).length,
          4,
          'the follow-up is appended to the stored conversation',
        );
        assert.equal((await ask(r, BEN, 'And then?', id)).status, 404, "another user's");
        assert.equal(await feedback(r, BEN, { conversationId: id, helpful: false }), 404);
        clock.advance(1000);
        assert.equal(
          await feedback(r, ANA, { conversationId: id, helpful: false, comment: 'too long' }),
          204,
        );
        const kept = await r.app.assistantConversations.feedbackOf('prod');
        assert.deepEqual(
          kept.map((f) => [f.conversationId, f.user, f.helpful, f.comment ?? null]),
          [
            [id, 'operator:ana', false, 'too long'],
            [id, 'operator:ana', true, null],
          ],
          'both answers, newest first, from before and after the restart',
        );

        // 29 days on it is still there; 31 days after its last message the purger deletes it.
        clock.advance(29 * DAY);
        assert.equal((await r.app.retention.runOnce()).conversations, 0);
        assert.equal((await ask(r, ANA, 'Still there?', id)).status, 200);
        clock.advance(31 * DAY);
        assert.equal((await r.app.retention.runOnce()).conversations, 1);
        assert.equal(await r.app.reads.getConversation('prod', id), null);
        assert.equal((await ask(r, ANA, 'Still there?', id)).status, 404);
        await stop(r);
      } finally {
        await cleanup();
      }
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'waymark-conversations-'));
scenario(
  'sqlite',
  async () => new SqliteStore(join(dir, 'waymark.db')),
  async () => undefined,
);

const schema = freshSchemaName('waymark_conversations');
scenario(
  'postgres',
  () => openPostgresStore({ connectionString: POSTGRES_TEST_URL, schema, maxConnections: 4 }),
  () => dropSchema(schema),
);

test('the writes are catalog writes of the Assistant service: the reads routes get have none of them', () => {
  const reads = { getConversation: null, listAssistantFeedback: null } as unknown as StoreReads;
  assert.ok('getConversation' in reads && 'listAssistantFeedback' in reads);
  // @ts-expect-error: CatalogWrites (src/runtime/unit-of-work/store-reads.ts), as appendAudit
  assert.equal(reads.putConversation, undefined);
  // @ts-expect-error: the retention purger's
  assert.equal(reads.purgeConversations, undefined);
  // @ts-expect-error: the Assistant service's
  assert.equal(reads.appendAssistantFeedback, undefined);
});
