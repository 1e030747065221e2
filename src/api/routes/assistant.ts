// The AI Assistant (POST /v1/assistant/chat): product answers with citations and figures from the
// asker's sandbox, read with the asker's permissions (src/runtime/assistant/tools.ts); nothing it
// does writes. POST /v1/assistant/feedback records whether an answer helped.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permissionsIn } from '../../access/policy.ts';
import type { Answer } from '../../shared/schema-types.ts';
import {
  chatBodySchema,
  feedbackBodySchema,
  type assistantInfoSchema,
} from '../../isomorphic/api/assistant.ts';
import { DATA_INTENTS } from '../../assistant/intents.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { modelConfigFromEnv } from '../../runtime/assistant/model.ts';
import {
  AssistantService,
  type AssistantOptions,
  type ChatReply,
} from '../../runtime/assistant/service.ts';
import { createTools, type Asker } from '../../runtime/assistant/tools.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { hiddenJourneys, labelFilter } from '../label-access.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const tags = ['assistant'];

/** Whether the caller asked for server-sent events (Accept: text/event-stream). */
const wantsEvents = (req: FastifyRequest): boolean =>
  /\btext\/event-stream\b/.test(req.headers.accept ?? '');

/**
 * The answer as server-sent events: `meta` (conversation, mode), one `delta` per line of the
 * answer, `citations`, `data` (when there is), then `done` with the whole reply.
 */
export function serverSentEvents(r: ChatReply): string {
  const event = (name: string, value: unknown) =>
    `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;
  return [
    event('meta', { conversationId: r.conversationId, mode: r.mode }),
    ...r.answer
      .split('\n')
      .map((line, i) => event('delta', { text: i === 0 ? line : `\n${line}` })),
    event('citations', r.citations),
    ...(r.data ? [event('data', r.data)] : []),
    event('done', r),
  ].join('');
}

async function askerOf(app: Waymark, req: FastifyRequest): Promise<Asker & { user: string }> {
  const principal = principalOf(req);
  const sandbox = sandboxOf(req);
  return {
    sandbox,
    user: `${principal.actor.kind}:${principal.actor.id}`,
    held: permissionsIn(principal, sandbox),
    hiddenJourneys: await hiddenJourneys(req, app.reads, sandbox),
    visible: (labels) => labelFilter(req)(labels ?? []),
  };
}

export function assistantRoutes(app: Waymark, options?: AssistantOptions) {
  return async (f: FastifyInstance): Promise<void> => {
    const assistant = new AssistantService(app, options ?? { model: modelConfigFromEnv() });
    // The index is built once the server listens (about a second of work), not while it starts,
    // and not at all for servers that only answer injected requests (tests) until asked.
    f.addHook('onListen', async () => assistant.warm());
    f.get(
      '/assistant',
      {
        schema: {
          tags,
          summary:
            "The Assistant's mode (model or none) in this sandbox and the questions it suggests",
        },
        config: { permission: 'signed-in' },
      },
      async (req): Promise<Answer<typeof assistantInfoSchema>> => {
        // "How is <journey> performing?" names the asker's busiest journey, or is left out.
        const listed = await createTools(app, await askerOf(app, req)).journeys();
        const busiest = listed.ok
          ? [...listed.value].sort((a, b) => b.entered - a.entered)[0]
          : undefined;
        return {
          mode: (await assistant.settingsIn(sandboxOf(req))).model ? 'model' : 'no-model',
          modelConfigured: assistant.hasModel(),
          suggestions: [
            ...DATA_INTENTS.flatMap((i) =>
              i.kind !== 'journey-performance'
                ? [i.example]
                : busiest
                  ? [
                      `How is the ${/journey$/i.test(busiest.name) ? busiest.name : `${busiest.name} journey`} performing?`,
                    ]
                  : [],
            ),
            'How do I test a journey before publishing it?',
          ],
        };
      },
    );
    f.post(
      '/assistant/chat',
      {
        schema: {
          tags,
          summary:
            'Ask the Assistant: {messages:[{role,content}], conversationId?} → {answer, citations:[{title,href}], data?, conversationId} (as server-sent events with Accept: text/event-stream); data questions are answered with the caller’s permissions, and nothing is written',
          body: openApi(chatBodySchema),
        },
        config: { permission: 'signed-in' },
      },
      async (req, reply) => {
        const body = parseWith(chatBodySchema, req.body, 'assistant question');
        const outcome = await assistant.chat(await askerOf(app, req), {
          messages: body.messages,
          ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        });
        switch (outcome.kind) {
          case 'answered':
            if (wantsEvents(req))
              return reply
                .type('text/event-stream; charset=utf-8')
                .header('cache-control', 'no-cache')
                .send(serverSentEvents(outcome.reply));
            return outcome.reply;
          case 'rate-limited':
            void reply.header('retry-after', String(outcome.retryAfterSeconds));
            return reply.status(429).send({
              error: {
                code: 'rate_limited',
                message: `too many questions: ask again in ${outcome.retryAfterSeconds} s`,
              },
            });
          case 'unknown-conversation':
            throw new WaymarkError(
              ErrorCode.NotFound,
              'no such conversation for this user in this sandbox',
              {
                issues: [
                  {
                    path: 'body.conversationId',
                    message: 'unknown or expired (kept 30 days)',
                    received: body.conversationId ?? '',
                  },
                ],
              },
            );
          default: {
            const never: never = outcome;
            throw new Error(`unknown outcome ${JSON.stringify(never)}`);
          }
        }
      },
    );
    f.post(
      '/assistant/feedback',
      {
        schema: {
          tags,
          summary: 'Whether an answer of the caller’s conversation helped (helpful: true|false)',
          body: openApi(feedbackBodySchema),
        },
        config: { permission: 'signed-in' },
      },
      async (req, reply) => {
        const body = parseWith(feedbackBodySchema, req.body, 'assistant feedback');
        const asker = await askerOf(app, req);
        const ok = await assistant.feedback({
          conversationId: body.conversationId,
          user: asker.user,
          sandbox: asker.sandbox,
          helpful: body.helpful,
          ...(body.comment !== undefined ? { comment: body.comment } : {}),
        });
        if (!ok)
          throw new WaymarkError(
            ErrorCode.NotFound,
            'no such conversation for this user in this sandbox',
          );
        return reply.status(204).send();
      },
    );
  };
}
