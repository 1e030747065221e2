// API keys. The admin key comes from WAYMARK_ADMIN_KEY or is generated at first start and kept in
// the data folder. Keys are compared by hash in constant time and never logged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../access/policy.ts';
import { builtInRole, type RoleDefinition } from '../access/roles.ts';

/**
 * A key the operator gives the server at start (WAYMARK_ADMIN_KEY, admin.key, tests), held in
 * memory; keys people create live in the directory (src/runtime/access/directory.ts).
 */
export interface ApiKey {
  readonly name: string;
  /** Sandboxes the key may use; '*' for all. */
  readonly sandboxes: readonly string[];
  readonly hash: Buffer;
  /** What it may do there: a built-in role by name, or a role definition (tests); admin by default. */
  readonly role: string | RoleDefinition;
}

const sha = (key: string): Buffer => createHash('sha256').update(key).digest();

export function apiKey(
  name: string,
  key: string,
  sandboxes: readonly string[] = ['*'],
  role: string | RoleDefinition = 'admin',
): ApiKey {
  return { name, sandboxes, hash: sha(key), role };
}

/** The role a static key stands for; an unknown built-in name is a mistake in the server's setup. */
export function roleOfKey(key: ApiKey): RoleDefinition {
  if (typeof key.role !== 'string') return key.role;
  const role = builtInRole(key.role);
  if (!role)
    throw new Error(
      `the API key "${key.name}" names an unknown role "${key.role}" (built-in roles: admin, journey-manager, content-manager, audience-manager, viewer, data-ingest)`,
    );
  return role;
}

/** Who a static key is: the operator (WAYMARK_ADMIN_KEY, tests), with its role in its sandboxes. */
export function operatorPrincipal(key: ApiKey): Principal {
  return {
    actor: { kind: 'operator', id: key.name, name: key.name },
    grants: [{ role: roleOfKey(key), sandboxes: key.sandboxes }],
  };
}

/**
 * Reads or creates the admin key: env first, then `<dataDir>/admin.key`, else a new random key saved
 * there (0600, in a 0700 folder). `fromEnv`: the operator holds it already, so it is never printed.
 */
export function loadAdminKey(
  dataDir: string | null,
  env: string | undefined,
): { key: string; created: boolean; fromEnv: boolean } {
  if (env && env.length >= 16) return { key: env, created: false, fromEnv: true };
  if (env) throw new Error('WAYMARK_ADMIN_KEY must be at least 16 characters');
  if (dataDir) {
    const file = join(dataDir, 'admin.key');
    if (existsSync(file))
      return { key: readFileSync(file, 'utf8').trim(), created: false, fromEnv: false };
    const key = `wmk_${randomBytes(24).toString('base64url')}`;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, created: true, fromEnv: false };
  }
  return { key: `wmk_${randomBytes(24).toString('base64url')}`, created: true, fromEnv: false };
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  basic = false,
): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  if (basic && typeof auth === 'string' && /^basic /i.test(auth)) {
    // Segment's write key: the user name, with an empty password ("<key>:").
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0]!.trim();
    if (user !== '') return user;
  }
  const x = headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : null;
}

export function findKey(keys: readonly ApiKey[], presented: string): ApiKey | null {
  const h = sha(presented);
  let found: ApiKey | null = null;
  for (const k of keys) if (timingSafeEqual(k.hash, h)) found = k;
  return found;
}
