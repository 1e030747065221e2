// `waymark audiences …`, against a running server: list audiences with their size, a sample, the
// members, a batch run now or on a schedule, an upload (CSV, replace or append), an audience from a
// message's feedback.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  addClientOptions,
  call,
  clientOptions,
  CliError,
  positiveInt,
  type ClientOptions,
} from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface MemberView {
  profileId: string;
  status: string;
  realizedAt: string | null;
  exitedAt: string | null;
  identities: Array<{ namespace: string; id: string }>;
}
interface RunResult {
  audience: string;
  evaluated: number;
  size: number;
  sample: string[];
  realized: number;
  exited: number;
}

const enc = encodeURIComponent;
const identity = (m: MemberView): string =>
  m.identities.map((i) => `${i.namespace}:${i.id}`).join(' ') || m.profileId;

async function listAudiences(c: ClientOptions, out: Out): Promise<void> {
  const r = (await call(c, 'GET', '/v1/audiences')) as {
    items: Array<{ key: string; spec: { name: string; origin: string } }>;
  };
  for (const a of r.items) {
    const size = (await call(c, 'GET', `/v1/audiences/${enc(a.spec.name)}/size?sample=0`)) as {
      realized: number;
      exited: number;
    };
    out(
      `${a.spec.name.padEnd(36)} ${a.spec.origin.padEnd(10)} ${String(size.realized).padStart(9)} realized ${String(size.exited).padStart(9)} exited\n`,
    );
  }
}

async function showSize(c: ClientOptions, name: string, sample: number, out: Out): Promise<void> {
  const r = (await call(c, 'GET', `/v1/audiences/${enc(name)}/size?sample=${sample}`)) as {
    realized: number;
    exited: number;
    sample: MemberView[];
  };
  out(`${name}: ${r.realized} realized, ${r.exited} exited\n`);
  for (const m of r.sample) out(`  ${identity(m)}  (since ${m.realizedAt ?? '?'})\n`);
}

async function listMembers(
  c: ClientOptions,
  name: string,
  o: { status?: string; limit: number },
  out: Out,
): Promise<void> {
  if (o.status !== undefined && o.status !== 'realized' && o.status !== 'exited')
    throw new CliError('--status must be realized or exited');
  let left = o.limit;
  for (let after: string | null = null; left > 0;) {
    const query = new URLSearchParams({
      limit: String(Math.min(left, 1000)),
      ...(o.status ? { status: o.status } : {}),
      ...(after ? { after } : {}),
    });
    const page = (await call(c, 'GET', `/v1/audiences/${enc(name)}/members?${query}`)) as {
      items: MemberView[];
      next: string | null;
    };
    for (const m of page.items) out(`${m.status.padEnd(9)} ${identity(m)}\n`);
    left -= page.items.length;
    if (!page.next || page.items.length === 0) break;
    after = page.next;
  }
}

function printRun(r: RunResult, out: Out): void {
  out(
    `${r.audience}: ${r.evaluated} profiles evaluated, ${r.size} members (${r.realized} new, ${r.exited} exited)\n`,
  );
  if (r.sample.length > 0) out(`  sample: ${r.sample.join(', ')}\n`);
}

export function registerAudienceCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const audiences = program
    .command('audiences')
    .description('audience sizes and members, batch runs, schedules, uploads');
  addClientOptions(audiences.command('list').description('every audience with its size')).action(
    async (o: Opts) => listAudiences(clientOptions(o), out),
  );
  addClientOptions(
    audiences
      .command('size <name>')
      .description('realized and exited members, and a random sample')
      .option('--sample <n>', 'members in the sample', positiveInt, 10),
  ).action(async (name: string, o: Opts & { sample: number }) =>
    showSize(clientOptions(o), name, o.sample, out),
  );
  addClientOptions(
    audiences
      .command('members <name>')
      .description('members in profile order')
      .option('--status <s>', 'realized or exited')
      .option('--limit <n>', 'at most this many', positiveInt, 100),
  ).action(async (name: string, o: Opts & { status?: string; limit: number }) =>
    listMembers(clientOptions(o), name, o, out),
  );
  addClientOptions(
    audiences
      .command('evaluate <name>')
      .description('evaluate the audience over every profile now'),
  ).action(async (name: string, o: Opts) =>
    printRun(
      (await call(clientOptions(o), 'POST', `/v1/audiences/${enc(name)}/evaluate`)) as RunResult,
      out,
    ),
  );
  addClientOptions(
    audiences
      .command('schedule <name>')
      .description('evaluate the audience every --every seconds, or --off')
      .option('--every <seconds>', 'seconds between runs (at least 60)', positiveInt)
      .option('--off', 'remove the schedule'),
  ).action(async (name: string, o: Opts & { every?: number; off?: boolean }) => {
    if ((o.every === undefined) === (o.off === undefined))
      throw new CliError('give --every <seconds> or --off');
    const r = (await call(clientOptions(o), 'PUT', `/v1/audiences/${enc(name)}/schedule`, {
      everySeconds: o.every ?? null,
    })) as { schedule: { everySeconds: number; nextRunAt: string } | null };
    out(
      r.schedule
        ? `${name}: every ${r.schedule.everySeconds} s, next at ${r.schedule.nextRunAt}\n`
        : `${name}: no schedule\n`,
    );
  });
  addClientOptions(
    audiences
      .command('upload <name> <file>')
      .description('members of an uploaded audience from a CSV file')
      .option('--mode <mode>', 'append, or replace (the file is then the whole audience)', 'append')
      .option('--id-column <c>', 'the column of identities', 'id')
      .option(
        '--namespace-column <c>',
        "the column of namespaces (default: the audience's namespace)",
      )
      .option(
        '--no-create-profiles',
        'report an identity no profile has instead of creating its profile',
      ),
  ).action(
    async (
      name: string,
      file: string,
      o: Opts & {
        mode: string;
        idColumn: string;
        namespaceColumn?: string;
        createProfiles: boolean;
      },
    ) => {
      if (o.mode !== 'replace' && o.mode !== 'append')
        throw new CliError('--mode must be replace or append');
      let csv: string;
      try {
        csv = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
      }
      const query = new URLSearchParams({
        mode: o.mode,
        idColumn: o.idColumn,
        ...(o.namespaceColumn ? { namespaceColumn: o.namespaceColumn } : {}),
        createProfiles: String(o.createProfiles),
      });
      const r = (await call(
        clientOptions(o),
        'POST',
        `/v1/audiences/${enc(name)}/upload?${query}`,
        csv,
        'text/csv',
      )) as {
        rows: number;
        realized: number;
        exited: number;
        createdProfiles: number;
        errors: Array<{ line: number; message: string }>;
      };
      out(
        `${name}: ${r.rows} rows, ${r.realized} realized, ${r.exited} exited, ${r.createdProfiles} profiles created\n`,
      );
      for (const e of r.errors) out(`  line ${e.line}: ${e.message}\n`);
      if (r.errors.length > 0) process.exitCode = 1;
    },
  );
  addClientOptions(
    audiences
      .command('from-feedback <name>')
      .description(
        'an audience of the profiles that opened or clicked a message (or one link of it)',
      )
      .requiredOption('--action <a>', 'opened, clicked, bounced or unsubscribed')
      .option('--message <id>', 'message id')
      .option('--journey <id>', 'journey id')
      .option('--node <id>', 'activity id')
      .option('--link <url>', 'the clicked link'),
  ).action(
    async (
      name: string,
      o: Opts & {
        action: string;
        message?: string;
        journey?: string;
        node?: string;
        link?: string;
      },
    ) => {
      const body = {
        name,
        action: o.action,
        ...(o.message ? { messageId: o.message } : {}),
        ...(o.journey ? { journeyId: o.journey } : {}),
        ...(o.node ? { node: o.node } : {}),
        ...(o.link ? { link: o.link } : {}),
      };
      const r = (await call(clientOptions(o), 'POST', '/v1/audiences/from-feedback', body)) as {
        run: RunResult;
      };
      printRun(r.run, out);
    },
  );
}
