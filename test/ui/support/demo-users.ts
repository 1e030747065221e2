// The demo's people: `waymark serve --demo` creates one user per built-in role and writes their
// emails and passwords to <data>/demo-users.txt. Read tolerantly (one person a line: the role, the
// email and the password in any order, separated by spaces, tabs, commas, '|' or ':'); when the file
// is missing the same people are created through the admin API, so the browser tests run either way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_ROLES } from '../../../src/access/roles.ts';
import type { Running } from './server.ts';

export interface DemoUser {
  readonly role: string;
  readonly email: string;
  readonly password: string;
}

const ROLES = BUILT_IN_ROLES.map((r) => r.name);

/** The demo users file's people, by role. */
export function parseDemoUsers(text: string): Map<string, DemoUser> {
  const out = new Map<string, DemoUser>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const tokens = line
      .split(/[\s,|]+/)
      .map((t) => t.replace(/^[:=]+|[:=]+$/g, ''))
      .filter(Boolean);
    const email = tokens.find((t) => /^[^@\s]+@[^@\s]+$/.test(t));
    const role =
      tokens.find((t) => ROLES.includes(t)) ?? ROLES.find((r) => email?.split('@')[0] === r);
    if (!email || !role) continue;
    // The password: the longest token that is neither the email, the role, nor a label such as "password".
    const password = tokens
      .filter((t) => t !== email && t !== role && !/^(password|email|role|user)s?$/i.test(t))
      .sort((a, b) => b.length - a.length)[0];
    if (password && password.length >= 12 && !out.has(role))
      out.set(role, { role, email, password });
  }
  return out;
}

/** One user per built-in role: from the demo's file, else created with the admin key. */
export async function demoUsers(server: Running): Promise<Map<string, DemoUser>> {
  const file = join(server.data, 'demo-users.txt');
  const found = existsSync(file)
    ? parseDemoUsers(readFileSync(file, 'utf8'))
    : new Map<string, DemoUser>();
  for (const role of ROLES) {
    if (found.has(role)) continue;
    const user = {
      role,
      email: `${role}@demo.waymark.test`,
      password: `demo-${role}-password-2026`,
    };
    const r = await fetch(`${server.apiUrl}/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: user.email,
        name: `Demo ${role}`,
        password: user.password,
        roles: [{ role, sandboxes: ['*'] }],
      }),
    });
    if (!r.ok)
      throw new Error(
        `no demo user for ${role} in ${file}, and creating one answered ${r.status}: ${await r.text()}`,
      );
    found.set(role, user);
  }
  return found;
}
