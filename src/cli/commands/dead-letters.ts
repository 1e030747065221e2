// `waymark dead-letters list|show|replay`: the events that were refused, with the reason, and their
// replay once the event type or the producer is fixed (POST /v1/dead-letters/{id}/replay).
import type { Command } from 'commander';
import { addClientOptions, call, clientOptions, CliError, positiveInt } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface DeadLetterView {
  id: number;
  eventId: string | null;
  eventType: string | null;
  body: unknown;
  errors: { message?: string; issues?: Array<{ path: string; message: string }> } | null;
  receivedAt: number;
  replayedAt: number | null;
}

/** The reason in one line: the message, then each issue's path and message. */
function reason(d: DeadLetterView): string {
  const issues = d.errors?.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
  return `${d.errors?.message ?? 'refused'}${issues ? ` (${issues})` : ''}`;
}

export function registerDeadLetterCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const dl = program
    .command('dead-letters')
    .description('refused events, their reasons, and replay');
  addClientOptions(
    dl
      .command('list')
      .description('the latest refused events')
      .option('--limit <n>', 'at most this many', positiveInt, 50)
      .option('--all', 'also those already replayed'),
  ).action(async (o: Opts & { limit: number; all?: boolean }) => {
    const r = (await call(clientOptions(o), 'GET', `/v1/dead-letters?limit=${o.limit}`)) as {
      items: DeadLetterView[];
    };
    const items = o.all ? r.items : r.items.filter((d) => d.replayedAt === null);
    if (items.length === 0) out('no refused events\n');
    for (const d of items)
      out(
        `${String(d.id).padStart(6)}  ${new Date(d.receivedAt).toISOString()}  ${(d.eventType ?? '?').padEnd(28)} ${reason(d)}${d.replayedAt !== null ? '  [replayed]' : ''}\n`,
      );
  });
  addClientOptions(
    dl.command('show <id>').description('one refused event: its body and reason'),
  ).action(async (id: string, o: Opts) => {
    const r = (await call(clientOptions(o), 'GET', `/v1/dead-letters?limit=1000`)) as {
      items: DeadLetterView[];
    };
    const d = r.items.find((x) => String(x.id) === id);
    if (!d) throw new CliError(`no dead letter ${id} among the latest 1,000`);
    out(
      `${JSON.stringify({ id: d.id, eventType: d.eventType, reason: d.errors, body: d.body }, null, 2)}\n`,
    );
  });
  addClientOptions(
    dl
      .command('replay <id>')
      .description('ingest a refused event again (after fixing its event type)'),
  ).action(async (id: string, o: Opts) => {
    const r = (await call(
      clientOptions(o),
      'POST',
      `/v1/dead-letters/${encodeURIComponent(id)}/replay`,
    )) as { result: { status: string; message?: string } };
    out(
      `dead letter ${id}: ${r.result.status}${r.result.message ? ` (${r.result.message})` : ''}\n`,
    );
    if (r.result.status === 'rejected') process.exitCode = 1;
  });
}
