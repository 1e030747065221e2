// CLI commands that talk to a running server: apply, export, events send, journeys, profiles.
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  addClientOptions,
  call,
  clientOptions,
  CliError,
  identityArgs,
  print,
  type ClientOptions,
} from '../client.ts';
import { findForbiddenKey, forbiddenKeyMessage } from '../../shared/forbidden-keys.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };

export function registerClientCommands(program: Command): void {
  addClientOptions(
    program
      .command('apply <file>')
      .description('create or update the objects of a package file (JSON or YAML)')
      .option(
        '--on-conflict <choice>',
        'for objects that exist with other content: use-existing, replace or copy',
        'replace',
      )
      .option(
        '--choice <kind:key=choice>',
        'a choice for one object (repeatable), e.g. fragment:order-content=copy',
        (v: string, all: string[]) => [...all, v],
        [] as string[],
      )
      .option('--plan', 'show what applying would do, object by object, and write nothing'),
  ).action(
    async (file: string, o: Opts & { onConflict: string; choice: string[]; plan?: boolean }) => {
      const text = readFileSync(file, 'utf8');
      const isJson = text.trimStart().startsWith('{');
      const conflicts = Object.fromEntries(
        o.choice.map((c) => {
          const i = c.lastIndexOf('=');
          if (i <= 0) throw new CliError(`--choice takes kind:key=choice, not "${c}"`);
          return [c.slice(0, i), c.slice(i + 1)];
        }),
      );
      const wrapped = o.plan || o.onConflict !== 'replace' || o.choice.length > 0;
      const body = wrapped
        ? JSON.stringify({
            // yaml loads only for a YAML package: most commands never need it.
            package: isJson ? JSON.parse(text) : (await import('yaml')).parse(text),
            conflicts,
            defaultConflict: o.onConflict,
          })
        : text;
      const r = (await call(
        clientOptions(o),
        'POST',
        o.plan ? '/v1/packages/plan' : '/v1/packages/apply',
        body,
        wrapped || isJson ? 'application/json' : 'text/yaml',
      )) as {
        objects: Array<{
          kind: string;
          key: string;
          status?: string;
          state?: string;
          choice?: string;
          copyAs?: string;
          copiedAs?: string;
          message?: string;
        }>;
        warnings?: Array<{ message: string }>;
        needsSecret?: Array<{ kind: string; key: string; path: string }>;
      };
      for (const x of r.objects) {
        const copy = x.copiedAs ?? x.copyAs;
        process.stdout.write(
          `${(x.status ?? `${x.state}${x.choice ? ` (${x.choice})` : ''}`).padEnd(15)} ${x.kind} ${x.key}${copy ? ` as ${copy}` : ''}${x.message ? `: ${x.message}` : ''}\n`,
        );
      }
      for (const w of r.warnings ?? []) process.stdout.write(`warning: ${w.message}\n`);
      for (const n of r.needsSecret ?? [])
        process.stdout.write(`needs a secret: ${n.kind} ${n.key} ${n.path}\n`);
      if (r.objects.some((x) => x.status === 'publish_failed')) process.exitCode = 1;
    },
  );

  addClientOptions(
    program
      .command('export')
      .description(
        'write the sandbox as a package, or journeys and objects with everything they use',
      )
      .option('--format <f>', 'yaml or json', 'yaml')
      .option(
        '--journey <id>',
        'only this journey and what it uses (repeatable)',
        (v: string, all: string[]) => [...all, v],
        [] as string[],
      )
      .option('--objects <list>', 'only these objects and what they use: kind:key,kind:key'),
  ).action(async (o: Opts & { format: string; journey: string[]; objects?: string }) => {
    const query = new URLSearchParams([
      ...o.journey.map((j): [string, string] => ['journey', j]),
      ...(o.objects ? [['objects', o.objects] as [string, string]] : []),
    ]).toString();
    const pkg = await call(
      clientOptions(o),
      'GET',
      `/v1/packages/export${query ? `?${query}` : ''}`,
    );
    print(o.format === 'json' ? pkg : (await import('yaml')).stringify(pkg));
  });

  const events = program.command('events').description('send events');
  addClientOptions(
    events
      .command('send <file>')
      .description('send events from a JSON-lines file, or - for standard input')
      .option('--batch <n>', 'events per request', '500'),
  ).action(async (file: string, o: Opts & { batch: string }) =>
    sendEvents(clientOptions(o), file, Number(o.batch)),
  );

  const journeys = program.command('journeys').description('list, publish and report journeys');
  addClientOptions(journeys.command('list')).action(async (o: Opts) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/journeys')) as {
      items: Array<{
        id: string;
        name: string;
        latest: { version: number; status: string; updatedAt: string };
      }>;
    };
    for (const j of r.items)
      process.stdout.write(
        `${j.id.padEnd(28)} v${String(j.latest.version).padEnd(4)} ${j.latest.status.padEnd(8)} ${j.name}\n`,
      );
  });
  for (const command of ['publish', 'pause', 'resume', 'close', 'stop'] as const) {
    addClientOptions(journeys.command(`${command} <id>`)).action(async (id: string, o: Opts) => {
      const v = (await call(
        clientOptions(o),
        'POST',
        `/v1/journeys/${encodeURIComponent(id)}/${command}`,
      )) as { version: number; status: string };
      process.stdout.write(`${id} v${v.version} is ${v.status}\n`);
    });
  }
  addClientOptions(
    journeys
      .command('dry-run <id> <action>')
      .description(
        'dry run of the draft: start, stop, or report (real profiles and events; nothing sent, called or changed)',
      )
      .option('--json', 'print JSON'),
  ).action(async (id: string, action: string, o: Opts & { json?: boolean }) => {
    const path = `/v1/journeys/${encodeURIComponent(id)}/dry-run`;
    if (action === 'start' || action === 'stop') {
      const v = (await call(clientOptions(o), 'POST', path, {
        enabled: action === 'start',
      })) as { version: number; status: string };
      process.stdout.write(`${id} v${v.version} is ${v.status}\n`);
      if (action === 'start') {
        const r = (await call(clientOptions(o), 'GET', path)) as { endsAt: string | null };
        if (r.endsAt) process.stdout.write(`ends by itself at ${r.endsAt} (after 14 days)\n`);
      }
      return;
    }
    if (action !== 'report') throw new Error(`dry-run: start, stop or report, not "${action}"`);
    const r = (await call(clientOptions(o), 'GET', path)) as {
      name: string;
      version: number | null;
      running: boolean;
      startedAt: string | null;
      endsAt: string | null;
      ended: { at: string; automatically: boolean } | null;
      journey: { entered: number; discarded: number };
      wouldSend: Record<string, number>;
      activities: Array<{ label: string; kind: string; paths: Record<string, number> }>;
    };
    if (o.json) return print(r);
    if (r.version === null) {
      process.stdout.write(`${r.name}: no dry run\n`);
      return;
    }
    const sends = Object.entries(r.wouldSend).map(([c, n]) => `${c} ${n}`);
    process.stdout.write(
      `${r.name} v${r.version} (${r.ended ? 'dry run ended' : 'dry run'}): entered ${r.journey.entered}, discarded ${r.journey.discarded}; would send: ${sends.join(', ') || 'nothing'}\n`,
    );
    if (r.ended)
      process.stdout.write(
        `  ended${r.ended.automatically ? ' automatically, 14 days after it started' : ''} at ${r.ended.at} (started at ${r.startedAt ?? '?'}); the report is kept\n`,
      );
    else if (r.endsAt)
      process.stdout.write(`  started at ${r.startedAt ?? '?'}; ends by itself at ${r.endsAt}\n`);
    for (const a of r.activities) {
      const paths = Object.entries(a.paths).map(([p, n]) => `${p} ${n}`);
      if (paths.length > 0) process.stdout.write(`  ${a.label} [${a.kind}]: ${paths.join(', ')}\n`);
    }
  });
  addClientOptions(journeys.command('report <id>'))
    .option('--json', 'print JSON')
    .action(async (id: string, o: Opts & { json?: boolean }) => {
      const r = (await call(
        clientOptions(o),
        'GET',
        `/v1/journeys/${encodeURIComponent(id)}/report`,
      )) as {
        name: string;
        total: Record<string, number>;
        versions: Array<{
          version: number;
          status: string;
          activities: Array<{
            label: string;
            kind: string;
            entered: number;
            exited: number;
            errors: number;
            timeouts: number;
          }>;
        }>;
      };
      if (o.json) return print(r);
      process.stdout.write(
        `${r.name}: entered ${r.total.entered}, exited ${r.total.exited}, errors ${r.total.errors}\n`,
      );
      for (const v of r.versions) {
        const names = v.activities.map((a) => `${a.label} [${a.kind}]`);
        const width = Math.max(30, ...names.map((n) => n.length));
        process.stdout.write(
          `\nversion ${v.version} (${v.status})\n  ${'activity'.padEnd(width)} ${'entered'.padStart(8)} ${'exited'.padStart(8)} ${'errors'.padStart(8)} ${'timeouts'.padStart(8)}\n`,
        );
        v.activities.forEach((a, i) =>
          process.stdout.write(
            `  ${names[i]!.padEnd(width)} ${String(a.entered).padStart(8)} ${String(a.exited).padStart(8)} ${String(a.errors).padStart(8)} ${String(a.timeouts).padStart(8)}\n`,
          ),
        );
      }
    });

  addClientOptions(
    journeys
      .command('instances <id>')
      .description('where profiles are in a journey, and the path each took')
      .option(
        '--profile <ref>',
        'one profile: Namespace:id (Email:jean@luma.example) or a profile id',
      )
      .option('--json', 'print JSON'),
  ).action(async (id: string, o: Opts & { profile?: string; json?: boolean }) => {
    const query = o.profile ? `?profile=${encodeURIComponent(o.profile)}` : '';
    const r = (await call(
      clientOptions(o),
      'GET',
      `/v1/journeys/${encodeURIComponent(id)}/instances${query}`,
    )) as { items: InstanceView[] };
    if (o.json) return print(r.items);
    if (r.items.length === 0) process.stdout.write('no instances\n');
    for (const i of r.items) process.stdout.write(describeInstance(i));
  });

  const profiles = program.command('profiles').description('read profiles');
  addClientOptions(
    profiles
      .command('get <namespace> [id]')
      .description('a profile by identity: NAMESPACE ID or NAMESPACE:ID'),
  ).action(async (namespace: string, maybeId: string | undefined, o: Opts) => {
    const [ns, id] = identityArgs(namespace, maybeId);
    print(
      await call(
        clientOptions(o),
        'GET',
        `/v1/profiles/${encodeURIComponent(ns)}/${encodeURIComponent(id)}`,
      ),
    );
  });
}

async function sendEvents(c: ClientOptions, file: string, batchSize: number): Promise<void> {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
    throw new CliError('--batch must be 1 to 1000');
  const input = file === '-' ? process.stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const tty = process.stderr.isTTY;
  let batch: unknown[] = [];
  /** The file line of each event in the batch, for the error report. */
  let batchLines: number[] = [];
  let lineNo = 0;
  const totals = { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    // 400 (409: all conflicts) when every event of the request was refused: the answer still holds each one's reasons.
    const r = (await call(c, 'POST', '/v1/events', batch, 'application/json', [400, 409])) as {
      accepted?: number;
      duplicates?: number;
      conflicts?: number;
      rejected?: number;
      results?: Array<{
        status: string;
        index: number;
        message?: string;
        issues?: Array<{ path: string; message: string }>;
      }>;
      error?: { message: string };
    };
    if (!r.results)
      throw new CliError(
        `the server refused the events of lines ${batchLines[0]} to ${batchLines[batchLines.length - 1]}: ${r.error?.message ?? JSON.stringify(r)}`,
      );
    totals.accepted += r.accepted ?? 0;
    totals.duplicates += r.duplicates ?? 0;
    totals.conflicts += r.conflicts ?? 0;
    totals.rejected += r.rejected ?? 0;
    for (const x of r.results.filter((y) => y.status === 'rejected' || y.status === 'conflict')) {
      const issues =
        x.status === 'rejected' && x.issues?.length
          ? ` (${x.issues.map((i) => `${i.path.replace(/^events\[\d+\]\.?/, '') || 'event'}: ${i.message}`).join('; ')})`
          : '';
      process.stderr.write(
        `${tty ? '\n' : ''}line ${batchLines[x.index] ?? '?'}: ${x.status}: ${x.message}${issues}\n`,
      );
    }
    batch = [];
    batchLines = [];
    if (tty)
      process.stderr.write(
        `\r${lineNo} lines · ${totals.accepted} accepted · ${totals.duplicates} duplicates · ${totals.conflicts} conflicts · ${totals.rejected} rejected`,
      );
  };
  for await (const line of lines) {
    lineNo++;
    if (!line.trim()) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (e) {
      throw new CliError(`line ${lineNo} is not JSON: ${(e as Error).message}`);
    }
    const forbidden = findForbiddenKey(event, 'event');
    if (forbidden) throw new CliError(`line ${lineNo}: ${forbiddenKeyMessage(forbidden)}`);
    batch.push(event);
    batchLines.push(lineNo);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  if (tty) process.stderr.write('\n');
  print(totals);
  if (totals.rejected > 0 || totals.conflicts > 0) process.exitCode = 1;
}

interface InstanceView {
  id: string;
  version: number;
  profileId: string;
  status: string;
  exitReason?: string;
  waiting: {
    kind: string;
    nodes?: string[];
    timer?: { dueAt: number; node: string; reason: string };
  } | null;
  path: Array<{ node: string; at: number; left?: number; outcome?: string }>;
}

/** An instance for people: its status, what it waits for, and its path with times. */
export function describeInstance(i: InstanceView): string {
  const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const head = `${i.id}  v${i.version}  profile ${i.profileId}  ${i.status}${i.exitReason ? ` (${i.exitReason})` : ''}`;
  const waiting =
    i.waiting?.kind === 'listening'
      ? `  waiting at ${(i.waiting.nodes ?? []).join(', ')}${i.waiting.timer ? `, ${i.waiting.timer.reason} at ${time(i.waiting.timer.dueAt)}` : ''}\n`
      : i.waiting
        ? `  waiting: ${i.waiting.kind}\n`
        : '';
  const path = i.path
    .map((p) => `  ${time(p.at)}  ${p.node}${p.outcome ? ` → ${p.outcome}` : ''}\n`)
    .join('');
  return `${head}\n${waiting}${path}`;
}
