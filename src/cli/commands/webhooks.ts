// `waymark webhooks list|create|delete|deliveries|redeliver`: webhook subscriptions (the object
// kind at /v1/webhooks) and their deliveries (GET /v1/webhooks/{id}/deliveries).
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { addClientOptions, call, clientOptions, positiveInt } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface SubscriptionView {
  key: string;
  spec: { url: string; events: string[]; enabled?: boolean };
}
interface DeliveryView {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
}

const list = (v: string, all: string[]): string[] => [
  ...all,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];
const path = (id: string): string => `/v1/webhooks/${encodeURIComponent(id)}`;

export function registerWebhookCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const w = program
    .command('webhooks')
    .description('webhook subscriptions: message and journey events POSTed, signed, to a URL');
  addClientOptions(w.command('list').description('the subscriptions')).action(async (o: Opts) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/webhooks')) as {
      items: SubscriptionView[];
    };
    if (r.items.length === 0) out('no webhook subscription\n');
    for (const s of r.items)
      out(
        `${s.key.padEnd(24)} ${s.spec.enabled === false ? 'disabled' : 'enabled '} ${s.spec.url}  ${s.spec.events.join(',')}\n`,
      );
  });
  addClientOptions(
    w
      .command('create <id>')
      .description('subscribe a URL (its host must be an allowed host of the sandbox)')
      .requiredOption('--endpoint <url>', 'where deliveries are POSTed')
      .option('--events <types>', 'event types or families, comma-separated', list, [])
      .option('--journey <id>', 'only events of this journey (repeatable)', list, [])
      .option('--secret <secret>', 'the signing secret (default: a new random one, printed once)')
      .option('--max-attempts <n>', 'attempts before a delivery is given up', positiveInt, 8),
  ).action(
    async (
      id: string,
      o: Opts & {
        endpoint: string;
        events: string[];
        journey: string[];
        secret?: string;
        maxAttempts: number;
      },
    ) => {
      const secret = o.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
      await call(clientOptions(o), 'POST', '/v1/webhooks', {
        id,
        name: id,
        url: o.endpoint,
        secret,
        events: o.events.length > 0 ? o.events : ['*'],
        ...(o.journey.length > 0 ? { journeys: o.journey } : {}),
        maxAttempts: o.maxAttempts,
      });
      out(`subscribed ${id} → ${o.endpoint}\n`);
      if (!o.secret) out(`signing secret (shown once): ${secret}\n`);
    },
  );
  addClientOptions(w.command('delete <id>').description('remove a subscription')).action(
    async (id: string, o: Opts) => {
      await call(clientOptions(o), 'DELETE', path(id));
      out(`deleted ${id}\n`);
    },
  );
  addClientOptions(
    w
      .command('deliveries <id>')
      .description("a subscription's deliveries, newest first")
      .option('--status <s>', 'pending, delivered or failed')
      .option('--limit <n>', 'at most this many', positiveInt, 50),
  ).action(async (id: string, o: Opts & { status?: string; limit: number }) => {
    const q = new URLSearchParams({ limit: String(o.limit) });
    if (o.status) q.set('status', o.status);
    const r = (await call(clientOptions(o), 'GET', `${path(id)}/deliveries?${q.toString()}`)) as {
      items: DeliveryView[];
    };
    if (r.items.length === 0) out('no delivery\n');
    for (const d of r.items)
      out(
        `${d.createdAt}  ${d.status.padEnd(9)} ${String(d.attempts).padStart(2)}× ${d.eventType.padEnd(22)} ${d.id}${d.lastError ? `  (${d.lastError})` : ''}\n`,
      );
  });
  addClientOptions(
    w.command('redeliver <id> <delivery>').description('send a delivery again, attempts reset'),
  ).action(async (id: string, delivery: string, o: Opts) => {
    await call(
      clientOptions(o),
      'POST',
      `${path(id)}/deliveries/${encodeURIComponent(delivery)}/redeliver`,
    );
    out(`queued ${delivery} again\n`);
  });
}
