// `waymark suppressions list|add|remove`: the sandbox-wide suppression list (GET, POST and DELETE
// /v1/suppressions): addresses no message goes to, with the reason and where it came from.
import type { Command } from 'commander';
import { addClientOptions, call, clientOptions, CliError, positiveInt } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface SuppressionView {
  channel: 'email' | 'sms';
  address: string;
  reason: string;
  source: string;
  detail: string | null;
  createdAt: string;
}

const REASONS = ['hard_bounce', 'complaint', 'manual'];

export function registerSuppressionCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const s = program
    .command('suppressions')
    .description('the suppression list: addresses no message goes to, and why');
  addClientOptions(
    s
      .command('list')
      .description('suppressed addresses, newest first')
      .option('--search <text>', 'only addresses containing this')
      .option('--limit <n>', 'at most this many', positiveInt, 100),
  ).action(async (o: Opts & { search?: string; limit: number }) => {
    const q = new URLSearchParams({ limit: String(o.limit) });
    if (o.search) q.set('search', o.search);
    const r = (await call(clientOptions(o), 'GET', `/v1/suppressions?${q.toString()}`)) as {
      items: SuppressionView[];
    };
    if (r.items.length === 0) out('no suppressed address\n');
    for (const i of r.items)
      out(
        `${i.createdAt}  ${i.channel.padEnd(5)} ${i.address.padEnd(36)} ${i.reason.padEnd(11)} ${i.source}${i.detail ? `  (${i.detail})` : ''}\n`,
      );
  });
  addClientOptions(
    s
      .command('add <address>')
      .description('suppress an address by hand')
      .option('--channel <channel>', 'email or sms', 'email')
      .option('--reason <reason>', `one of ${REASONS.join(', ')}`, 'manual')
      .option('--detail <text>', 'a note kept with the entry'),
  ).action(
    async (address: string, o: Opts & { channel: string; reason: string; detail?: string }) => {
      if (!REASONS.includes(o.reason))
        throw new CliError(`--reason must be one of ${REASONS.join(', ')}, not "${o.reason}"`);
      const r = (await call(clientOptions(o), 'POST', '/v1/suppressions', {
        channel: o.channel,
        address,
        reason: o.reason,
        ...(o.detail ? { detail: o.detail } : {}),
      })) as SuppressionView;
      out(`suppressed ${r.channel} ${r.address} (${r.reason})\n`);
    },
  );
  addClientOptions(
    s
      .command('remove <address>')
      .description('take an address off the list: messages may go to it again')
      .option('--channel <channel>', 'email or sms', 'email'),
  ).action(async (address: string, o: Opts & { channel: string }) => {
    await call(
      clientOptions(o),
      'DELETE',
      `/v1/suppressions/${encodeURIComponent(o.channel)}/${encodeURIComponent(address)}`,
    );
    out(`removed ${o.channel} ${address}\n`);
  });
}
