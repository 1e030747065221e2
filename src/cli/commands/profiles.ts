// `waymark profiles audiences|events|delete`, against a running server: a profile's memberships, its
// experience events (the history audiences read), and erasure on request.
import type { Command } from 'commander';
import {
  addClientOptions,
  call,
  clientOptions,
  CliError,
  identityArgs,
  positiveInt,
} from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

const enc = encodeURIComponent;

export function registerProfileCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const profiles =
    program.commands.find((c) => c.name() === 'profiles') ??
    program.command('profiles').description('read profiles');
  addClientOptions(
    profiles.command('audiences <namespace> [id]').description('the audiences a profile is in'),
  ).action(async (namespace: string, maybeId: string | undefined, o: Opts) => {
    const [ns, id] = identityArgs(namespace, maybeId);
    const r = (await call(
      clientOptions(o),
      'GET',
      `/v1/profiles/${enc(ns)}/${enc(id)}/audiences`,
    )) as {
      items: Array<{
        audience: string;
        status: string;
        realizedAt: string | null;
        exitedAt: string | null;
      }>;
    };
    for (const m of r.items)
      out(
        `${m.status.padEnd(9)} ${m.audience}${m.status === 'exited' ? ` (exited ${m.exitedAt})` : ''}\n`,
      );
  });
  addClientOptions(
    profiles
      .command('delete <namespace> [id]')
      .description(
        'erase a profile on request: attributes, events, messages, memberships, journeys',
      )
      .option('--yes', 'do not ask'),
  ).action(async (namespace: string, maybeId: string | undefined, o: Opts & { yes?: boolean }) => {
    const [ns, id] = identityArgs(namespace, maybeId);
    if (!o.yes) throw new CliError(`this erases ${ns}:${id} for good; run again with --yes`);
    await call(clientOptions(o), 'DELETE', `/v1/profiles/${enc(ns)}/${enc(id)}`);
    out(`${ns}:${id} erased\n`);
  });
  addClientOptions(
    profiles
      .command('events <namespace> [id]')
      .description("the profile's experience events and message feedback, newest first")
      .option('--type <types>', 'only these event types (comma-separated)')
      .option('--limit <n>', 'at most this many', positiveInt, 20)
      .option('--json', 'print the payloads as JSON'),
  ).action(
    async (
      namespace: string,
      maybeId: string | undefined,
      o: Opts & { type?: string; limit: number; json?: boolean },
    ) => {
      const [ns, id] = identityArgs(namespace, maybeId);
      const query = new URLSearchParams({
        limit: String(o.limit),
        ...(o.type ? { type: o.type } : {}),
      });
      const r = (await call(
        clientOptions(o),
        'GET',
        `/v1/profiles/${enc(ns)}/${enc(id)}/events?${query}`,
      )) as { total: number; items: Array<{ type: string; at: string; payload: unknown }> };
      if (o.json) {
        out(`${JSON.stringify(r.items, null, 2)}\n`);
        return;
      }
      for (const e of r.items) out(`${e.at}  ${e.type}\n`);
      out(`${r.items.length} of ${r.total} events\n`);
    },
  );
}
