// `waymark sandboxes list|create|reset|delete|settings`: the sandbox registry over the API.
import { InvalidArgumentError, type Command } from 'commander';
import type { SandboxSettings, SandboxView } from '../../access/api-types.ts';
import { addClientOptions, call, clientOptions, print, type ClientOptions } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string; json?: boolean };
type Out = (text: string) => void;

type Approvers = SandboxSettings['approvals']['journeyApprovers'];

/** `ben@luma.example,role:brand-reviewer`: users, and roles after `role:`. */
const approverText = (a: Approvers): string =>
  [...a.users, ...a.roles.map((r) => `role:${r}`)].join(',');

const settingsLine = (s: SandboxSettings): string => {
  const named = approverText(s.approvals.journeyApprovers);
  const others = (
    [
      ['messages', s.retention.messages],
      ['dead letters', s.retention.deadLetters],
      ['audit entries', s.retention.audit],
    ] as const
  )
    .filter(([, d]) => d !== null)
    .map(([what, d]) => `${what} ${d} days`);
  return `retention ${s.retentionDays === null ? 'kept' : `${s.retentionDays} days`}${others.length ? ` (${others.join(', ')})` : ''}, journey approvals ${s.approvals.journeyPublish ? 'on' : 'off'}${named ? ` (approvers ${named})` : ''}${s.approvals.campaigns.length > 0 ? `, campaign approval policies: ${s.approvals.campaigns.map((p) => p.name).join(', ')}` : ''}${s.assistant.model ? '' : ', assistant without its model'}${s.assistant.personalData ? ', personal data may reach the assistant’s model' : ''}`;
};

/** `--journey-approvers`: comma-separated users (ids or emails) and `role:<name>`; `none` names nobody. */
export function parseApprovers(v: string): Approvers {
  const parts = v.trim() === 'none' ? [] : v.split(',').map((x) => x.trim());
  const users: string[] = [];
  const roles: string[] = [];
  for (const p of parts) {
    if (p === '') throw new InvalidArgumentError('an empty approver in the list');
    if (p.startsWith('role:')) {
      const r = p.slice('role:'.length).trim();
      if (!r) throw new InvalidArgumentError(`"${p}": name the role after role:`);
      roles.push(r);
    } else users.push(p);
  }
  return { users, roles };
}

export function formatSandboxes(items: readonly SandboxView[]): string {
  if (items.length === 0) return 'no sandboxes\n';
  const width = Math.max(...items.map((s) => s.name.length));
  return (
    items
      .map(
        (s) =>
          `${s.name.padEnd(width)}  ${s.type.padEnd(11)}  ${s.title}  (${settingsLine(s.settings)})`,
      )
      .join('\n') + '\n'
  );
}

const onOff = (v: string): boolean => {
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new InvalidArgumentError('on or off');
};
const days = (v: string): number | null => {
  if (v === 'none') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new InvalidArgumentError('a whole number of days from 1 to 3650, or none');
  return n;
};

const path = (name: string): string => `/v1/sandboxes/${encodeURIComponent(name)}`;

export function registerSandboxCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const cmd = program
    .command('sandboxes')
    .description('list, create, reset and delete sandboxes; their settings');
  const client = (o: Opts): ClientOptions => clientOptions(o);

  addClientOptions(
    cmd
      .command('list')
      .description('the sandboxes the key may enter')
      .option('--json', 'print JSON'),
  ).action(async (o: Opts) => {
    const r = (await call(client(o), 'GET', '/v1/sandboxes')) as { items: SandboxView[] };
    if (o.json) print(r.items);
    else out(formatSandboxes(r.items));
  });

  addClientOptions(
    cmd
      .command('create <name>')
      .description('create a sandbox (development unless --production)')
      .option('--title <title>', 'what people read')
      .option('--production', 'a production sandbox (never deleted)'),
  ).action(async (name: string, o: Opts & { title?: string; production?: boolean }) => {
    const r = (await call(client(o), 'POST', '/v1/sandboxes', {
      name,
      type: o.production ? 'production' : 'development',
      ...(o.title ? { title: o.title } : {}),
    })) as SandboxView;
    out(`created ${r.type} sandbox ${r.name}\n`);
  });

  addClientOptions(
    cmd
      .command('reset <name>')
      .description('empty a sandbox (keeps its name and settings)')
      .requiredOption('--confirm <name>', "the sandbox's name again"),
  ).action(async (name: string, o: Opts & { confirm: string }) => {
    await call(client(o), 'POST', `${path(name)}/reset`, { confirm: o.confirm });
    out(`sandbox ${name} is empty\n`);
  });

  addClientOptions(
    cmd
      .command('delete <name>')
      .description('delete a sandbox and everything in it')
      .requiredOption('--confirm <name>', "the sandbox's name again"),
  ).action(async (name: string, o: Opts & { confirm: string }) => {
    await call(client(o), 'DELETE', `${path(name)}?confirm=${encodeURIComponent(o.confirm)}`);
    out(`sandbox ${name} deleted\n`);
  });

  addClientOptions(
    cmd
      .command('settings <name>')
      .description("show or change a sandbox's settings")
      .option(
        '--retention-days <days>',
        'experience events older than this are purged (none: kept)',
        days,
      )
      .option(
        '--message-retention-days <days>',
        'delivery-log entries (messages) older than this are purged (none: kept)',
        days,
      )
      .option(
        '--dead-letter-retention-days <days>',
        'dead letters older than this are purged (none: kept)',
        days,
      )
      .option(
        '--audit-retention-days <days>',
        "this sandbox's audit entries older than this are purged (none: kept; WAYMARK_AUDIT_RETENTION_DAYS applies too)",
        days,
      )
      .option('--approvals <on|off>', 'publishing journeys needs an approval', onOff)
      .option(
        '--journey-approvers <list>',
        'only these decide journey approvals: users (ids or emails) and role:<name>, comma-separated; none: anyone with journeys.publish',
        parseApprovers,
      )
      .option(
        '--assistant-model <on|off>',
        'the Assistant uses the configured model here (default: WAYMARK_AI_SANDBOXES)',
        onOff,
      )
      .option(
        '--assistant-personal-data <on|off>',
        "personal data may reach the Assistant's model (default: WAYMARK_AI_PERSONAL_DATA_SANDBOXES)",
        onOff,
      )
      .option('--json', 'print JSON'),
  ).action(
    async (
      name: string,
      o: Opts & {
        assistantModel?: boolean;
        assistantPersonalData?: boolean;
        retentionDays?: number | null;
        messageRetentionDays?: number | null;
        deadLetterRetentionDays?: number | null;
        auditRetentionDays?: number | null;
        approvals?: boolean;
        journeyApprovers?: Approvers;
      },
    ) => {
      // commander turns a parser's null ("none") into "": both mean kept.
      for (const k of [
        'retentionDays',
        'messageRetentionDays',
        'deadLetterRetentionDays',
        'auditRetentionDays',
      ] as const)
        if ((o[k] as unknown) === '') o[k] = null;
      const c = client(o);
      let s = (await call(c, 'GET', `${path(name)}/settings`)) as SandboxSettings;
      if (
        o.retentionDays !== undefined ||
        o.messageRetentionDays !== undefined ||
        o.deadLetterRetentionDays !== undefined ||
        o.auditRetentionDays !== undefined ||
        o.approvals !== undefined ||
        o.journeyApprovers !== undefined ||
        o.assistantModel !== undefined ||
        o.assistantPersonalData !== undefined
      ) {
        const next: SandboxSettings = {
          retentionDays: o.retentionDays !== undefined ? o.retentionDays : s.retentionDays,
          retention: {
            messages:
              o.messageRetentionDays !== undefined ? o.messageRetentionDays : s.retention.messages,
            deadLetters:
              o.deadLetterRetentionDays !== undefined
                ? o.deadLetterRetentionDays
                : s.retention.deadLetters,
            audit: o.auditRetentionDays !== undefined ? o.auditRetentionDays : s.retention.audit,
          },
          // Campaign policies are kept as they are: only the journey settings are flags here.
          approvals: {
            ...s.approvals,
            journeyPublish: o.approvals ?? s.approvals.journeyPublish,
            journeyApprovers: o.journeyApprovers ?? s.approvals.journeyApprovers,
          },
          assistant: {
            model: o.assistantModel ?? s.assistant.model,
            personalData: o.assistantPersonalData ?? s.assistant.personalData,
          },
        };
        s = (await call(c, 'PUT', `${path(name)}/settings`, next)) as SandboxSettings;
      }
      if (o.json) print(s);
      else out(`${name}: ${settingsLine(s)}\n`);
    },
  );
}
