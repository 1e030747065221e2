// `waymark audit`: who changed what, newest first, through GET /v1/audit-log: a table to read, or
// JSON lines (--json) to keep or pipe.
import type { Command } from 'commander';
import type { AuditEntry } from '../../access/api-types.ts';
import { addClientOptions, call, clientOptions, positiveInt } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;
interface AuditOpts extends Opts {
  object?: string;
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: number;
  all?: boolean;
  json?: boolean;
}

const PAGE = 500;

/** One line: when, where, who, what, on which object, and which paths changed. */
export function auditLine(e: AuditEntry): string {
  const object = e.object
    ? `${e.object.kind}:${e.object.key}${e.object.name && e.object.name !== e.object.key ? ` (${e.object.name})` : ''}`
    : '-';
  const paths = e.changes.map((c) => c.path || '(whole)');
  const changed =
    paths.length === 0
      ? ''
      : `  ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` +${paths.length - 3}` : ''}`;
  const who = `${e.actor.name}${e.actor.kind === 'user' ? '' : ` [${e.actor.kind}]`}`;
  return `${e.at.slice(0, 19).replace('T', ' ')}  ${(e.sandbox ?? '-').padEnd(10)} ${who.padEnd(28)} ${e.action.padEnd(24)} ${object}${changed}`;
}

export function registerAuditCommand(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  addClientOptions(
    program
      .command('audit')
      .description('the audit log: who changed what, when, newest first')
      .option(
        '--object <ref>',
        'one object: kind:key (fragment:footer, journey:purchase-journey) or a key',
      )
      .option('--actor <who>', "an actor's id or name (email, key name)")
      .option('--action <action>', 'an action (journey.publish) or an area (journey.*)')
      .option('--since <time>', 'from this ISO-8601 date or date-time')
      .option('--until <time>', 'before this ISO-8601 date or date-time')
      .option('--limit <n>', 'at most this many entries', positiveInt, 50)
      .option('--all-sandboxes', 'every sandbox, not only --sandbox (needs audit.view everywhere)')
      .option('--json', 'one JSON entry a line'),
  ).action(async (o: AuditOpts & { allSandboxes?: boolean }) => {
    const c = clientOptions(o);
    const filters = new URLSearchParams();
    for (const k of ['object', 'actor', 'action', 'since', 'until'] as const)
      if (o[k] !== undefined) filters.set(k, o[k]);
    if (o.allSandboxes) filters.set('sandbox', '*');
    let before: string | null = null;
    let shown = 0;
    if (!o.json)
      out(
        `${'time (UTC)'.padEnd(19)}  ${'sandbox'.padEnd(10)} ${'actor'.padEnd(28)} ${'action'.padEnd(24)} object  changes\n`,
      );
    while (shown < o.limit) {
      const q = new URLSearchParams(filters);
      q.set('limit', String(Math.min(PAGE, o.limit - shown)));
      if (before !== null) q.set('before', before);
      const page = (await call(c, 'GET', `/v1/audit-log?${q.toString()}`)) as {
        items: AuditEntry[];
        next: string | null;
      };
      for (const e of page.items) out(o.json ? `${JSON.stringify(e)}\n` : `${auditLine(e)}\n`);
      shown += page.items.length;
      if (page.next === null) break;
      before = page.next;
    }
    if (shown === 0 && !o.json) out('no entries\n');
  });
}
