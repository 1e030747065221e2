// `waymark keys create|list|revoke|rotate`: API keys through the server's API (keys.manage). A new
// key is printed once; lists show its prefix only.
import type { Command } from 'commander';
import type { ApiKeyCreated, ApiKeyView } from '../../access/api-types.ts';
import { addClientOptions, call, clientOptions, CliError } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

/** `--expires`: an ISO date-time, a date (end of that day, UTC), or a duration from now (30d, 12h, 90m). */
export function expiryOf(value: string, now = Date.now()): string {
  const d = /^(\d+)([dhm])$/.exec(value);
  if (d)
    return new Date(
      now + Number(d[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[d[2] as 'd' | 'h' | 'm'],
    ).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T23:59:59.000Z`;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new CliError(
      `--expires takes a date (2027-03-31), a date-time, or a duration (30d, 12h, 90m), not "${value}"`,
    );
  return new Date(t).toISOString();
}

const state = (k: ApiKeyView, now: number): string => {
  if (k.revokedAt) return 'revoked';
  if (k.rotatedTo) return `rotated to ${k.rotatedTo}, works until ${k.expiresAt}`;
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return k.expiresAt ? `until ${k.expiresAt}` : 'active';
};

const printCreated = (out: Out, k: ApiKeyCreated, what: string): void => {
  out(
    `${what} "${k.name}" (${k.id}): role ${k.role} in ${k.sandboxes.join(', ')}${k.expiresAt ? `, until ${k.expiresAt}` : ''}\n`,
  );
  out(`key (shown once, keep it now): ${k.key}\n`);
};

export function registerKeyCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const keys = program.command('keys').description('API keys: create, list, revoke, rotate');

  addClientOptions(
    keys
      .command('create')
      .description('create an API key with a role in some sandboxes; the key is printed once')
      .requiredOption('--name <name>', 'what the key is for, e.g. "Website events pipeline"')
      .requiredOption('--role <role>', 'a role, e.g. viewer, data-ingest, or a custom role')
      .option('--sandboxes <list>', 'comma-separated sandboxes, or * for all', 'prod')
      .option('--expires <when>', 'a date (2027-03-31), a date-time, or a duration (30d, 12h)'),
  ).action(
    async (o: Opts & { name: string; role: string; sandboxes: string; expires?: string }) => {
      const sandboxes = o.sandboxes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const body = {
        name: o.name,
        role: o.role,
        sandboxes,
        ...(o.expires ? { expiresAt: expiryOf(o.expires) } : {}),
      };
      printCreated(
        out,
        (await call(clientOptions(o), 'POST', '/v1/api-keys', body)) as ApiKeyCreated,
        'created',
      );
    },
  );

  addClientOptions(
    keys
      .command('list')
      .description('the API keys with role, sandboxes, creator, last use and state')
      .option('--json', 'print JSON'),
  ).action(async (o: Opts & { json?: boolean }) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/api-keys')) as { items: ApiKeyView[] };
    if (o.json) {
      out(`${JSON.stringify(r.items, null, 2)}\n`);
      return;
    }
    if (r.items.length === 0) {
      out('no API keys (waymark keys create makes one)\n');
      return;
    }
    const now = Date.now();
    for (const k of r.items) {
      out(
        `${k.id.padEnd(26)} ${k.prefix}…  ${k.name.padEnd(28)} ${k.role.padEnd(18)} ${k.sandboxes.join(',').padEnd(12)} by ${k.createdBy.name.padEnd(22)} last used ${k.lastUsedAt ?? 'never'}  ${state(k, now)}\n`,
      );
    }
  });

  addClientOptions(
    keys.command('revoke <id>').description('revoke an API key: refused from the next request on'),
  ).action(async (id: string, o: Opts) => {
    const k = (await call(
      clientOptions(o),
      'DELETE',
      `/v1/api-keys/${encodeURIComponent(id)}`,
    )) as ApiKeyView;
    out(`revoked "${k.name}" (${k.id}) at ${k.revokedAt}\n`);
  });

  addClientOptions(
    keys
      .command('rotate <id>')
      .description(
        'a successor key with the same name, role and sandboxes; the old one works for the overlap',
      )
      .option(
        '--overlap <duration>',
        'how long the old key keeps working: seconds, or 30m, 12h, 2d',
        '24h',
      ),
  ).action(async (id: string, o: Opts & { overlap: string }) => {
    const m = /^(\d+)([smhd]?)$/.exec(o.overlap);
    if (!m)
      throw new CliError(
        `--overlap takes seconds or a duration (30m, 12h, 2d), not "${o.overlap}"`,
      );
    const overlapSeconds =
      Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
    const k = (await call(
      clientOptions(o),
      'POST',
      `/v1/api-keys/${encodeURIComponent(id)}/rotate`,
      { overlapSeconds },
    )) as ApiKeyCreated;
    printCreated(out, k, 'rotated: the successor of');
    out(`the old key ${id} keeps working for ${o.overlap}\n`);
  });
}
