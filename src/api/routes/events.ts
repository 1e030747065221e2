// Event ingestion and dead letters.
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { ErrorCode, notFound, WaymarkError } from '../../errors.ts';
import { intParam, sandboxOf } from '../context.ts';
import { observedIngest } from '../../runtime/observability/instrument.ts';

export const MAX_EVENTS_PER_REQUEST = 1000;

export function eventRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.post(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Send one event or an array of events ({id, type, payload, timestamp?}). Answers per event: accepted, duplicate (the same event again), conflict (its id was used by a different event), rejected with the reason, or (a fleet) routed to the engine owning its partition.',
          body: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
        },
      },
      async (req, reply) => {
        const single = !Array.isArray(req.body);
        const events = single ? [req.body] : (req.body as unknown[]);
        if (events.length === 0)
          throw new WaymarkError(ErrorCode.BadRequest, 'no events in the request', {
            issues: [
              {
                path: 'body',
                message: 'send one event or a non-empty array',
                expected: 'object | array',
                received: 'empty array',
              },
            ],
          });
        if (events.length > MAX_EVENTS_PER_REQUEST)
          throw new WaymarkError(
            ErrorCode.BadRequest,
            `at most ${MAX_EVENTS_PER_REQUEST} events per request`,
            {
              issues: [
                {
                  path: 'body',
                  message: 'too many events',
                  expected: `<= ${MAX_EVENTS_PER_REQUEST}`,
                  received: String(events.length),
                },
              ],
            },
          );
        const sandbox = sandboxOf(req);
        // Fleet mode: events of partitions another engine owns are routed to it (answered `routed`, durable in JetStream).
        const results = await observedIngest(
          app.observability,
          sandbox,
          'http',
          events.length,
          () =>
            app.router ? app.router.ingest(sandbox, events) : app.engine.ingest(sandbox, events),
        );
        const rejected = results.filter((r) => r.status === 'rejected');
        const conflicts = results.filter((r) => r.status === 'conflict');
        const routed = results.filter((r) => r.status === 'routed').length;
        const summary = {
          accepted: results.filter((r) => r.status === 'accepted').length,
          duplicates: results.filter((r) => r.status === 'duplicate').length,
          conflicts: conflicts.length,
          rejected: rejected.length,
          ...(routed > 0 ? { routed } : {}),
        };
        if (single && rejected.length === 1) {
          const r = rejected[0]!;
          return reply.status(r.status === 'rejected' ? r.code : 400).send({
            error: {
              code: 'event_rejected',
              message: r.status === 'rejected' ? r.message : '',
              issues: r.status === 'rejected' ? r.issues : [],
              deadLetter: true,
            },
            results,
            ...summary,
          });
        }
        if (single && conflicts.length === 1) {
          const r = conflicts[0]!;
          return reply.status(409).send({
            error: {
              code: 'event_conflict',
              message: r.status === 'conflict' ? r.message : '',
              issues: r.status === 'conflict' ? r.issues : [],
            },
            results,
            ...summary,
          });
        }
        // Conflicts are refusals like rejections (the event was not taken), answered per event.
        const refused = rejected.length + conflicts.length;
        return reply
          .status(
            refused === 0
              ? 202
              : refused < results.length
                ? 207
                : conflicts.length === results.length
                  ? 409
                  : 400,
          )
          .send({ ...summary, results });
      },
    );

    f.get<{ Querystring: { limit?: string } }>(
      '/dead-letters',
      { schema: { tags: ['events'], summary: 'Events that were rejected, with the reason' } },
      async (req) => ({
        items: await app.reads.listDeadLetters(sandboxOf(req), {
          limit: intParam(req.query.limit, 'limit', 100, 1000),
        }),
      }),
    );
    f.post<{ Params: { id: string } }>(
      '/dead-letters/:id/replay',
      {
        schema: {
          tags: ['events'],
          summary: 'Ingest a dead letter again (after fixing the schema)',
        },
      },
      async (req, reply) => {
        const sandbox = sandboxOf(req);
        const id = intParam(req.params.id, 'id', 1, Number.MAX_SAFE_INTEGER);
        const dl = await app.reads.getDeadLetter(sandbox, id);
        if (!dl) throw notFound('dead letter', String(id));
        if (dl.replayedAt !== null)
          throw new WaymarkError(ErrorCode.Conflict, `dead letter ${id} was already replayed`);
        const [result] = await app.engine.ingest(sandbox, [dl.body], { replayOf: id });
        return reply
          .status(
            result?.status === 'rejected' ? result.code : result?.status === 'conflict' ? 409 : 202,
          )
          .send({ result });
      },
    );
  };
}
