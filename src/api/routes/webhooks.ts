// Webhook subscriptions' deliveries. The subscriptions themselves are an object kind (CRUD at
// /v1/webhooks, src/model/webhook.ts); here: each one's deliveries with their status, attempts and
// last error, one delivery with the body sent, and sending a delivery again.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { WEBHOOK_KIND } from '../../runtime/webhooks/service.ts';
import type { WebhookDeliveryRow } from '../../store/ports.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';

/** One delivery as the API shows it (the body only when asked for one delivery). */
export interface WebhookDeliveryAnswer {
  readonly id: string;
  readonly subscription: string;
  readonly eventType: string;
  readonly status: WebhookDeliveryRow['status'];
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  /** ISO-8601; pending deliveries only. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly event?: unknown;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const answer = (d: WebhookDeliveryRow, withBody = false): WebhookDeliveryAnswer => ({
  id: d.id,
  subscription: d.subscription,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  createdAt: iso(d.createdAt),
  updatedAt: iso(d.updatedAt),
  ...(withBody ? { event: JSON.parse(d.body) as unknown } : {}),
});

const statusParam = z.enum(['pending', 'delivered', 'failed']);

export function webhookRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['webhooks'];
    const subscription = async (sandbox: string, key: string): Promise<void> => {
      await app.objects.get(sandbox, WEBHOOK_KIND, key);
    };
    const delivery = async (
      sandbox: string,
      key: string,
      id: string,
    ): Promise<WebhookDeliveryRow> => {
      const d = await app.reads.webhookDelivery(sandbox, id);
      if (!d || d.subscription !== key) throw notFound('webhook delivery', id);
      return d;
    };
    f.get<{ Params: { key: string }; Querystring: { status?: string; limit?: string } }>(
      '/webhooks/:key/deliveries',
      {
        schema: {
          tags,
          summary:
            "A webhook subscription's deliveries, newest first (?status=pending|delivered|failed, ?limit=)",
        },
        config: { permission: 'actions.view' },
      },
      async (req): Promise<{ items: WebhookDeliveryAnswer[] }> => {
        const sandbox = sandboxOf(req);
        await subscription(sandbox, req.params.key);
        const status =
          req.query.status === undefined
            ? undefined
            : parseWith(statusParam, req.query.status, 'status');
        const rows = await app.webhooks.deliveries(sandbox, req.params.key, {
          ...(status ? { status } : {}),
          limit: intParam(req.query.limit, 'limit', 100, 1000),
        });
        return { items: rows.map((d) => answer(d)) };
      },
    );
    f.get<{ Params: { key: string; id: string } }>(
      '/webhooks/:key/deliveries/:id',
      {
        schema: {
          tags,
          summary: 'One delivery with the event it sends (profile data: needs profiles.read)',
        },
        config: { permission: 'profiles.read' },
      },
      async (req): Promise<WebhookDeliveryAnswer> =>
        answer(await delivery(sandboxOf(req), req.params.key, req.params.id), true),
    );
    f.post<{ Params: { key: string; id: string } }>(
      '/webhooks/:key/deliveries/:id/redeliver',
      {
        schema: {
          tags,
          summary:
            'Send a delivery again (a failed one, once the receiver is fixed): queued at once with its attempts reset',
        },
        config: { permission: 'actions.manage' },
      },
      async (req, reply): Promise<WebhookDeliveryAnswer> => {
        const sandbox = sandboxOf(req);
        const d = await delivery(sandbox, req.params.key, req.params.id);
        reply.status(202);
        return answer(await app.webhooks.redeliver(sandbox, d.id));
      },
    );
  };
}
