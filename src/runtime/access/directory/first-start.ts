// The people a new server starts with. When the directory has no users: WAYMARK_ADMIN_EMAIL and
// WAYMARK_ADMIN_PASSWORD make the administrator; otherwise a one-time setup link is printed (an
// invitation of WAYMARK_ADMIN_EMAIL, or admin@localhost, as administrator in every sandbox; while
// nobody has used it, each start prints a fresh link and the older one stops working). The
// operator's WAYMARK_ADMIN_KEY / admin.key keeps working beside them. The demo (`serve --demo`)
// adds one user per built-in role with a random password, written to <data>/demo-users.txt (0600);
// restarts reuse them.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserView } from '../../../access/api-types.ts';
import { SYSTEM_ACTOR } from '../../../access/policy.ts';
import { WaymarkError } from '../../../errors.ts';
import type { Directory } from '../contracts.ts';

/** The demo's people: one per built-in role, in every sandbox. */
export const DEMO_USERS: ReadonlyArray<{
  readonly role: string;
  readonly email: string;
  readonly name: string;
}> = [
  { role: 'admin', email: 'admin@demo.waymark.local', name: 'Alex Admin' },
  { role: 'journey-manager', email: 'journeys@demo.waymark.local', name: 'Jordan Journeys' },
  { role: 'content-manager', email: 'content@demo.waymark.local', name: 'Casey Content' },
  { role: 'audience-manager', email: 'audiences@demo.waymark.local', name: 'Avery Audiences' },
  { role: 'viewer', email: 'viewer@demo.waymark.local', name: 'Vic Viewer' },
  { role: 'data-ingest', email: 'ingest@demo.waymark.local', name: 'Ingest Pipeline' },
];

export const SETUP_EMAIL = 'admin@localhost';
export const DEMO_USERS_FILE = 'demo-users.txt';

export interface FirstStartOptions {
  readonly dataDir: string | null;
  readonly demo: boolean;
  readonly publicUrl: string;
  readonly adminEmail?: string | undefined;
  readonly adminPassword?: string | undefined;
}

/** Lines for the start-up banner (never a password). */
export async function prepareFirstStart(
  directory: Directory,
  o: FirstStartOptions,
): Promise<string[]> {
  const lines: string[] = [];
  const email = o.adminEmail?.trim() || undefined;
  let users = await directory.listUsers();
  if (users.length === 0 && email && o.adminPassword) {
    try {
      await directory.createUser(
        {
          email,
          name: 'Administrator',
          password: o.adminPassword,
          roles: [{ role: 'admin', sandboxes: ['*'] }],
        },
        SYSTEM_ACTOR,
      );
    } catch (e) {
      throw new Error(
        `WAYMARK_ADMIN_EMAIL/WAYMARK_ADMIN_PASSWORD: ${e instanceof WaymarkError ? e.message : String(e)}`,
        { cause: e },
      );
    }
    lines.push(`administrator: ${email} (from WAYMARK_ADMIN_EMAIL and WAYMARK_ADMIN_PASSWORD)`);
    users = await directory.listUsers();
  }
  if (o.demo) {
    lines.push(...(await ensureDemoUsers(directory, o.dataDir, users)));
    users = await directory.listUsers();
  }
  const nobodyIn = users.every((u) => u.status === 'invited');
  const setupAdmin = users.find(
    (u) =>
      u.status === 'invited' &&
      u.roles.some((r) => r.role === 'admin' && r.sandboxes.includes('*')) &&
      u.email === (email ?? SETUP_EMAIL),
  );
  if (nobodyIn && (users.length === 0 || setupAdmin)) {
    const { token } = await directory.inviteUser(
      {
        email: email ?? SETUP_EMAIL,
        name: 'Administrator',
        roles: [{ role: 'admin', sandboxes: ['*'] }],
      },
      SYSTEM_ACTOR,
    );
    lines.push(
      `first start: open this one-time link to choose the administrator's password (${email ?? SETUP_EMAIL}; it works once, for 7 days, and a restart before it is used prints a new one):`,
    );
    lines.push(`  ${o.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`);
  }
  return lines;
}

/** The demo users, created when missing; their passwords kept in <data>/demo-users.txt. */
async function ensureDemoUsers(
  directory: Directory,
  dataDir: string | null,
  existing: readonly UserView[],
): Promise<string[]> {
  const file = dataDir === null ? null : join(dataDir, DEMO_USERS_FILE);
  const known =
    file !== null && existsSync(file)
      ? passwordsIn(readFileSync(file, 'utf8'))
      : new Map<string, string>();
  const rows: Array<{ role: string; email: string; password: string }> = [];
  let created = 0;
  for (const d of DEMO_USERS) {
    const user = existing.find((u) => u.email.toLowerCase() === d.email);
    let password = known.get(d.email);
    if (!user) {
      password ??= newPassword();
      await directory.createUser(
        { email: d.email, name: d.name, password, roles: [{ role: d.role, sandboxes: ['*'] }] },
        SYSTEM_ACTOR,
      );
      created++;
    } else if (password === undefined) {
      // The file is gone: give the demo user a new password the file can hold.
      if (user.status !== 'active') continue;
      const reset = await directory.requestPasswordReset(d.email);
      if (!reset) continue;
      password = newPassword();
      await directory.completePasswordReset(reset.token, password);
    }
    rows.push({ role: d.role, email: d.email, password });
  }
  if (file !== null) {
    const body = rows
      .map((r) => `${r.role.padEnd(18)} ${r.email.padEnd(30)} ${r.password}`)
      .join('\n');
    writeFileSync(
      file,
      `# Waymark demo users: sign in to the console with an email and its password.\n# role              email                          password\n${body}\n`,
      { mode: 0o600 },
    );
    chmodSync(file, 0o600);
  }
  return [
    `demo users: ${rows.length} (${created} new), one per built-in role (${DEMO_USERS.map((d) => d.email).join(', ')}); passwords in ${file ?? 'memory only (no data folder)'}`,
  ];
}

const newPassword = (): string => randomBytes(12).toString('base64url');

/** email -> password from a demo users file (role, email, password on each line). */
function passwordsIn(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim().startsWith('#')) continue;
    const [, email, password] = line.trim().split(/\s+/);
    if (email && password) out.set(email.toLowerCase(), password);
  }
  return out;
}
