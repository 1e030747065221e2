// The sandbox-wide suppression list: addresses no message goes to, with the reason (a hard bounce
// or complaint from a provider's webhook, or added by hand) and the source. The list holds people's
// addresses: reading it needs profiles.read, changing it profiles.manage.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../errors.ts';
import {
  normalizeSuppressedAddress,
  suppressionInputSchema,
  type SuppressionChannel,
} from '../../model/suppression.ts';
import type { Waymark } from '../../runtime/app.ts';
import type { SuppressionRow } from '../../store/ports.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

/** One entry as the API shows it. */
export interface SuppressionAnswer {
  readonly channel: SuppressionChannel;
  readonly address: string;
  readonly reason: SuppressionRow['reason'];
  readonly source: string;
  readonly detail: string | null;
  /** ISO-8601. */
  readonly createdAt: string;
}

const answer = (r: SuppressionRow): SuppressionAnswer => ({
  channel: r.channel,
  address: r.address,
  reason: r.reason,
  source: r.source,
  detail: r.detail,
  createdAt: new Date(r.createdAt).toISOString(),
});

const channelParam = z.enum(['email', 'sms']);

export function suppressionRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['suppressions'];
    f.get<{
      Querystring: { search?: string; channel?: string; limit?: string; offset?: string };
    }>(
      '/suppressions',
      {
        schema: {
          tags,
          summary:
            'The suppression list, newest first (?search= part of an address, ?channel=email|sms, ?limit=, ?offset=)',
        },
        config: { permission: 'profiles.read' },
      },
      async (req): Promise<{ items: SuppressionAnswer[] }> => {
        const q = req.query;
        const channel =
          q.channel === undefined ? undefined : parseWith(channelParam, q.channel, 'channel');
        const rows = await app.suppressions.list(sandboxOf(req), {
          ...(q.search ? { search: q.search.slice(0, 320) } : {}),
          ...(channel ? { channel } : {}),
          limit: intParam(q.limit, 'limit', 100, 1000),
          offset: intParam(q.offset, 'offset', 0, 1_000_000, 0),
        });
        return { items: rows.map(answer) };
      },
    );
    f.post(
      '/suppressions',
      {
        schema: {
          tags,
          summary:
            'Add an address to the suppression list ({"address": "a@example.com", "reason": "manual", "detail": "asked by phone"})',
          body: openApi(suppressionInputSchema),
        },
        config: { permission: 'profiles.manage' },
      },
      async (req, reply): Promise<SuppressionAnswer> => {
        const input = parseWith(suppressionInputSchema, req.body, 'suppression');
        const actor = principalOf(req).actor;
        const row = await app.suppressions.add(
          sandboxOf(req),
          input,
          `${actor.kind}:${actor.name}`,
        );
        reply.status(201);
        return answer(row);
      },
    );
    f.delete<{ Params: { channel: string; address: string } }>(
      '/suppressions/:channel/:address',
      {
        schema: { tags, summary: 'Remove an address from the suppression list' },
        config: { permission: 'profiles.manage' },
      },
      async (req, reply) => {
        const channel = parseWith(channelParam, req.params.channel, 'channel');
        const removed = await app.suppressions.remove(sandboxOf(req), channel, req.params.address);
        if (!removed)
          throw notFound(
            'suppressed address',
            normalizeSuppressedAddress(channel, req.params.address),
          );
        return reply.status(204).send();
      },
    );
  };
}
