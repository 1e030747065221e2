// Test runs of a journey (test mode as a debugger): list per version, one run's step trace, events
// sent from test mode (they reach only the version under test), replays.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { TestRunService } from '../../runtime/test-runs.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';

const tags = ['journeys'];
type IdParams = { Params: { id: string } };
type RunParams = { Params: { id: string; runId: string } };

const testEventSchema = z
  .object({
    type: z.string().min(1, 'the event type is required'),
    payload: z
      .unknown()
      .refine(
        (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
        'an object (the event payload)',
      ),
    id: z.string().min(1).max(200).optional(),
    timestamp: z.string().optional(),
  })
  .strict();

export function testRunRoutes(app: Waymark) {
  const runs = new TestRunService({ engine: app.engine, reads: app.reads }, app.journeys);
  return async (f: FastifyInstance): Promise<void> => {
    f.get<IdParams & { Querystring: { version?: string } }>(
      '/journeys/:id/test-runs',
      {
        schema: {
          tags,
          summary:
            'Test runs of a version (?version=N, default the latest): profile, started, status, where it waits; kept after test mode is left',
        },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const latest = (await app.journeys.get(sandbox, req.params.id)).latest.version;
        const version = intParam(req.query.version, 'version', latest, 1_000_000);
        return { version, items: await runs.list(sandbox, req.params.id, version) };
      },
    );
    f.get<RunParams>(
      '/journeys/:id/test-runs/:runId',
      {
        schema: {
          tags,
          summary:
            'One test run with its step trace: events, conditions with their values, action requests and responses (secrets redacted), rendered messages, timers',
        },
      },
      async (req) => runs.get(sandboxOf(req), req.params.id, req.params.runId),
    );
    f.post<IdParams & { Body: unknown }>(
      '/journeys/:id/test-runs/events',
      {
        schema: {
          tags,
          summary:
            'Send an event from test mode ({type, payload}): it moves the test profile only in the version under test, never in a live version',
          body: openApi(testEventSchema),
        },
      },
      async (req, reply) => {
        const event = parseWith(testEventSchema, req.body, 'test event');
        const r = await runs.send(sandboxOf(req), req.params.id, event);
        const status =
          r.result.status === 'rejected'
            ? r.result.code
            : r.result.status === 'conflict'
              ? 409
              : 202;
        return reply.status(status).send(r);
      },
    );
    f.post<RunParams>(
      '/journeys/:id/test-runs/:runId/replay',
      {
        schema: {
          tags,
          summary:
            'Replay a test run: the same profile and events, in order, against the version under test now',
        },
      },
      async (req, reply) =>
        reply.status(202).send(await runs.replay(sandboxOf(req), req.params.id, req.params.runId)),
    );
  };
}
