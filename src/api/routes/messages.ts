// The delivery log and the development inbox.
import type { FastifyInstance } from 'fastify';
import type { DevProviders } from '../../runtime/dev-providers.ts';
import type { Waymark } from '../../runtime/app.ts';
import { intParam, sandboxOf } from '../context.ts';
import { resolveProfileRef } from './journeys.ts';

type Query = { Querystring: { profile?: string; journey?: string; channel?: string; limit?: string } };

export function messageRoutes(app: Waymark, dev?: DevProviders) {
  return async (f: FastifyInstance): Promise<void> => {
    const list = async (sandbox: string, q: Query['Querystring'], channel?: string) => {
      const profileId = q.profile ? await resolveProfileRef(app, sandbox, q.profile) : undefined;
      if (profileId === null) return [];
      return app.engine.store.messages(sandbox, { ...(profileId ? { profileId } : {}), ...(q.journey ? { journeyId: q.journey } : {}), ...(channel ?? q.channel ? { channel: channel ?? q.channel } : {}), limit: intParam(q.limit, 'limit', 100, 1000) });
    };
    f.get<Query>('/messages', { schema: { tags: ['messages'], summary: 'The delivery log: rendered subject and body, channel, status and reason' } }, async (req) => ({ items: await list(sandboxOf(req), req.query) }));
    f.get<Query & { Querystring: { to?: string } }>('/dev/inbox', { schema: { tags: ['messages'], summary: 'The development inbox: mail received by the embedded SMTP server (newest first), and push and SMS delivered to the development channels' } }, async (req) => ({
      email: dev ? dev.email.list({ ...(req.query.to ? { to: req.query.to } : {}), limit: intParam(req.query.limit, 'limit', 100, 500) }) : [],
      push: dev ? dev.push.slice(0, intParam(req.query.limit, 'limit', 100, 500)) : [],
      sms: dev ? dev.sms.slice(0, intParam(req.query.limit, 'limit', 100, 500)) : [],
      items: (await list(sandboxOf(req), req.query)).filter((m) => m.status === 'delivered' || m.status === 'sent'),
    }));
  };
}
