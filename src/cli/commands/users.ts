// `waymark users list|invite`: people through the server's API (users.manage).
import type { Command } from 'commander';
import type { RoleAssignment, UserView } from '../../access/api-types.ts';
import { addClientOptions, call, clientOptions, CliError } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

/** `--role viewer@prod,dev` (repeatable): a role and its sandboxes; `--role admin` alone is every sandbox. */
export function assignmentOf(value: string): RoleAssignment {
  const [role, sandboxes] = value.split('@');
  if (!role) throw new CliError(`--role takes ROLE or ROLE@SANDBOX[,SANDBOX], not "${value}"`);
  return {
    role,
    sandboxes:
      sandboxes === undefined
        ? ['*']
        : sandboxes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
  };
}

const rolesText = (roles: readonly RoleAssignment[]): string =>
  roles.map((r) => `${r.role}@${r.sandboxes.join(',')}`).join(' ') || 'no roles';

export function registerUserCommands(
  program: Command,
  out: Out = (t) => {
    process.stdout.write(t);
  },
): void {
  const users = program.command('users').description('people who sign in to the console');

  addClientOptions(
    users
      .command('list')
      .description('the users: email, status, roles, last sign-in')
      .option('--json', 'print JSON'),
  ).action(async (o: Opts & { json?: boolean }) => {
    const r = (await call(clientOptions(o), 'GET', '/v1/users')) as { items: UserView[] };
    if (o.json) {
      out(`${JSON.stringify(r.items, null, 2)}\n`);
      return;
    }
    if (r.items.length === 0) {
      out('no users (waymark users invite adds one)\n');
      return;
    }
    for (const u of r.items)
      out(
        `${u.id.padEnd(26)} ${u.email.padEnd(32)} ${u.status.padEnd(9)} ${rolesText(u.roles).padEnd(36)} last sign-in ${u.lastSignInAt ?? 'never'}\n`,
      );
  });

  addClientOptions(
    users
      .command('invite <email>')
      .description('invite someone by email: they choose a password from the link (7 days)')
      .option('--name <name>', 'their name')
      .option(
        '--role <role@sandboxes>',
        'a role and its sandboxes, e.g. viewer@prod or admin (every sandbox); repeatable',
        (v: string, all: string[]) => [...all, v],
        [] as string[],
      ),
  ).action(async (email: string, o: Opts & { name?: string; role: string[] }) => {
    if (o.role.length === 0)
      throw new CliError('give at least one --role, e.g. --role viewer@prod');
    const r = (await call(clientOptions(o), 'POST', '/v1/users/invitations', {
      email,
      ...(o.name ? { name: o.name } : {}),
      roles: o.role.map(assignmentOf),
    })) as { user: UserView; emailed: boolean; acceptUrl?: string; warning?: string };
    out(`invited ${r.user.email} (${r.user.id}) as ${rolesText(r.user.roles)}\n`);
    if (r.emailed) out('the invitation was emailed\n');
    else out(`${r.warning ?? 'no email was sent'}\nlink: ${r.acceptUrl}\n`);
  });
}
