// Single sign-on's pure parts: the group-to-role map an operator writes
// (WAYMARK_OIDC_ROLE_MAP=`marketing-admins=admin@*;content=content-manager@prod,staging`), the
// groups an identity provider's claims carry, the roles they give, and what each refusal tells the
// person at the sign-in page. No I/O: the server (src/runtime/access/sso.ts) and the console read it.
import type { RoleAssignment } from './api-types.ts';

/** One line of the map: members of `group` hold `role` in `sandboxes` (['*']: every sandbox). */
export interface RoleMapEntry {
  readonly group: string;
  readonly role: string;
  readonly sandboxes: readonly string[];
}

const ROLE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** A role map that cannot be read; the message names the entry and what is wrong with it. */
export class RoleMapError extends Error {}

/**
 * Parses `group=role@sandbox,sandbox;group=role@*`. Entries are separated by ';'. The group is
 * everything before the last '=', so directory names such as `CN=admins,OU=groups` work as groups.
 * Sandboxes must be said (`@*` for all): a forgotten `@prod` never silently grants everything.
 */
export function parseRoleMap(text: string): RoleMapEntry[] {
  const out: RoleMapEntry[] = [];
  const parts = text.split(';').map((p) => p.trim());
  parts.forEach((part, i) => {
    if (part === '') return;
    const where = `entry ${i + 1} "${part}"`;
    const eq = part.lastIndexOf('=');
    if (eq <= 0)
      throw new RoleMapError(`${where}: expected group=role@sandboxes (e.g. viewers=viewer@*)`);
    const group = part.slice(0, eq).trim();
    const grant = part.slice(eq + 1).trim();
    if (group === '') throw new RoleMapError(`${where}: the group name is empty`);
    const at = grant.indexOf('@');
    if (at < 0)
      throw new RoleMapError(
        `${where}: say in which sandboxes the role holds: ${grant || 'role'}@* for all, or ${grant || 'role'}@prod,staging`,
      );
    const role = grant.slice(0, at).trim();
    if (!ROLE_NAME.test(role))
      throw new RoleMapError(
        `${where}: the role "${role}" is not a role name (lowercase letters, digits and -)`,
      );
    const sandboxes = grant
      .slice(at + 1)
      .split(',')
      .map((s) => s.trim());
    if (sandboxes.length === 1 && sandboxes[0] === '*') {
      out.push({ group, role, sandboxes: ['*'] });
      return;
    }
    for (const s of sandboxes) {
      if (s === '*')
        throw new RoleMapError(
          `${where}: '*' (every sandbox) cannot be listed with other sandboxes`,
        );
      if (!SANDBOX_NAME.test(s))
        throw new RoleMapError(
          `${where}: "${s}" is not a sandbox name (lowercase letters, digits and -)`,
        );
    }
    out.push({ group, role, sandboxes: [...new Set(sandboxes)] });
  });
  if (out.length === 0)
    throw new RoleMapError('no entries: write group=role@sandboxes, separated by ";"');
  return out;
}

/**
 * The groups in an identity's claims. `claim` is the claim's name; when no claim has that exact name
 * and it holds dots, it is read as a path (`realm_access.roles` for Keycloak), so namespaced names
 * such as `https://example.com/groups` still work. A single string counts as one group.
 */
export function groupsFromClaims(
  claims: Readonly<Record<string, unknown>>,
  claim: string,
): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes('.')) {
    value = claim
      .split('.')
      .reduce<unknown>(
        (at, key) =>
          at !== null && typeof at === 'object' && !Array.isArray(at)
            ? (at as Record<string, unknown>)[key]
            : undefined,
        claims,
      );
  }
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value))
    return value.filter((g): g is string => typeof g === 'string' && g !== '');
  return [];
}

/** The roles the groups give, one assignment per role with its sandboxes merged ('*' absorbs the rest). */
export function rolesForGroups(
  map: readonly RoleMapEntry[],
  groups: readonly string[],
): RoleAssignment[] {
  const held = new Set(groups);
  const byRole = new Map<string, Set<string>>();
  for (const e of map) {
    if (!held.has(e.group)) continue;
    const s = byRole.get(e.role) ?? new Set<string>();
    for (const sandbox of e.sandboxes) s.add(sandbox);
    byRole.set(e.role, s);
  }
  return [...byRole].map(([role, s]) => ({ role, sandboxes: s.has('*') ? ['*'] : [...s].sort() }));
}

/** Why a single sign-on was refused: the callback redirects to `/?sso_error=<code>`. */
export type SsoErrorCode =
  | 'state'
  | 'provider'
  | 'exchange'
  | 'no_email'
  | 'email_unverified'
  | 'no_role'
  | 'refused'
  | 'unavailable';

/** What the sign-in page says for each refusal (no detail that would help an attacker). */
export const SSO_ERROR_MESSAGES: Readonly<Record<SsoErrorCode, string>> = {
  state: 'The single sign-on took too long or was not started here. Please try again.',
  provider: 'The identity provider did not sign you in.',
  exchange:
    "The identity provider's answer could not be verified. Please try again; if it persists, tell your administrator.",
  no_email: 'The identity provider did not share your email address, which Waymark needs.',
  email_unverified: 'The identity provider has not verified your email address.',
  no_role:
    'You are signed in with your organisation, but none of your groups gives access to Waymark. Ask your administrator to add you to a group with a Waymark role.',
  refused: 'Your Waymark account is disabled or cannot sign in. Ask your administrator.',
  unavailable: 'The identity provider cannot be reached right now. Please try again later.',
};
