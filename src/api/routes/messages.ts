// The delivery log and the development inbox.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DevProviders } from '../../runtime/dev-providers.ts';
import type { Waymark } from '../../runtime/app.ts';
import type { ProofLog } from '../../runtime/proof-log.ts';
import { intParam, sandboxOf } from '../context.ts';
import { resolveProfileRef } from './journeys.ts';
import { hiddenJourneys } from '../label-access.ts';

// The development providers keep their newest 500 of each channel; the sandbox's newest log entries
// that can match them.
const DEV_LOG_WINDOW = 2000;

const providerIdOf = (payload: unknown): string | null => {
  const id = (payload as { providerMessageId?: unknown } | null)?.providerMessageId;
  return typeof id === 'string' && id !== '' ? id : null;
};

type Query = {
  Querystring: { profile?: string; journey?: string; channel?: string; limit?: string };
};

export function messageRoutes(app: Waymark, dev?: DevProviders, proofs?: ProofLog) {
  return async (f: FastifyInstance): Promise<void> => {
    const list = async (
      req: FastifyRequest,
      sandbox: string,
      q: Query['Querystring'],
      channel?: string,
    ) => {
      const profileId = q.profile ? await resolveProfileRef(app, sandbox, q.profile) : undefined;
      if (profileId === null) return [];
      const hidden = await hiddenJourneys(req, app.reads, sandbox);
      return (
        (
          await app.reads.messages(sandbox, {
            ...(profileId ? { profileId } : {}),
            ...(q.journey ? { journeyId: q.journey } : {}),
            ...((channel ?? q.channel) ? { channel: channel ?? q.channel } : {}),
            limit: intParam(q.limit, 'limit', 100, 1000),
          })
        )
          // Messages of journeys whose labels the caller lacks are not theirs to read.
          .filter((m) => m.journeyId === null || !hidden.has(m.journeyId))
      );
    };
    f.get<Query>(
      '/messages',
      {
        schema: {
          tags: ['messages'],
          summary: 'The delivery log: rendered subject and body, channel, status and reason',
        },
      },
      async (req) => ({ items: await list(req, sandboxOf(req), req.query) }),
    );
    // The development providers are shared by every sandbox of the process; each caller sees only
    // what its own sandbox sent: the entries whose provider id (Message-ID, apns-id, FCM name,
    // Twilio SID) its delivery log recorded.
    f.get<Query & { Querystring: { to?: string } }>(
      '/dev/inbox',
      {
        schema: {
          tags: ['messages'],
          summary:
            'The development inbox of this sandbox: mail received by the embedded SMTP server (newest first), and push and SMS delivered to the development channels',
        },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const limit = intParam(req.query.limit, 'limit', 100, 500);
        const hidden = await hiddenJourneys(req, app.reads, sandbox);
        const logged = (await app.reads.messages(sandbox, { limit: DEV_LOG_WINDOW })).filter(
          (m) => m.journeyId === null || !hidden.has(m.journeyId),
        );
        const ours = new Set(
          logged.map((m) => providerIdOf(m.payload)).filter((id): id is string => id !== null),
        );
        for (const id of proofs?.ids(sandbox) ?? []) ours.add(id);
        const mine = <T>(items: readonly T[], id: (item: T) => string): T[] =>
          items.filter((i) => ours.has(id(i))).slice(0, limit);
        return {
          email: dev
            ? mine(
                dev.email.list({ ...(req.query.to ? { to: req.query.to } : {}), limit: 500 }),
                (m) => m.messageId,
              )
            : [],
          push: dev ? mine(dev.push, (p) => p.id) : [],
          sms: dev ? mine(dev.sms, (m) => m.sid) : [],
          items: (await list(req, sandbox, req.query)).filter(
            (m) => m.status === 'delivered' || m.status === 'sent',
          ),
        };
      },
    );
  };
}
