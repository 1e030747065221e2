// GET /metrics: the engine's Prometheus metrics (text format 0.0.4), for a scrape job. Like every
// route it needs a caller: Prometheus sends an API key as a bearer token (see docs/observability.md).
// The figures cover this engine and, read from the store as it is scraped, every partition.
// At the root, where Prometheus looks by default, so out of /openapi.json like /healthz (the API
// there is /v1's); test/observability/metrics.test.ts asks its other spellings.
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';

export function metricsRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/metrics',
      {
        schema: {
          hide: true,
          summary:
            'Prometheus metrics of this engine: ingest, steps, commits, timers and their lag, outbox depth by partition, deliveries, errors',
        },
        config: { permission: 'signed-in' },
      },
      async (_req, reply) => {
        const text = await app.observability.metrics.scrape();
        return reply.header('content-type', app.observability.metrics.contentType).send(text);
      },
    );
  };
}
