// The access policy, pure: who may do what in which sandbox, and which labelled objects they may
// see. The server checks it in one place (src/api/access.ts) from each route's declared
// requirement; services use `mayAccessLabels` to hide labelled objects.
import type { Permission } from './permissions.ts';
import type { RoleDefinition } from './roles.ts';

/** Who did something: a person, an API key, the operator's WAYMARK_ADMIN_KEY, or the server itself. */
export interface Actor {
  readonly kind: 'user' | 'key' | 'operator' | 'system';
  /** The user's or key's id; 'operator' / 'system' for those. */
  readonly id: string;
  /** What people read: the user's email, the key's name. */
  readonly name: string;
}

/** A role held in some sandboxes (['*']: every sandbox, present and future). */
export interface Grant {
  readonly role: RoleDefinition;
  readonly sandboxes: readonly string[];
}

export interface Principal {
  readonly actor: Actor;
  readonly grants: readonly Grant[];
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'system', name: 'Waymark' };

const inSandbox = (g: Grant, sandbox: string): boolean =>
  g.sandboxes.includes('*') || g.sandboxes.includes(sandbox);

/** Every permission the principal holds in `sandbox`. */
export function permissionsIn(p: Principal, sandbox: string): Set<Permission> {
  const out = new Set<Permission>();
  for (const g of p.grants)
    if (inSandbox(g, sandbox)) for (const perm of g.role.permissions) out.add(perm);
  return out;
}

export function can(p: Principal, sandbox: string, permission: Permission): boolean {
  return p.grants.some((g) => inSandbox(g, sandbox) && g.role.permissions.includes(permission));
}

/** Whether a grant reaches `sandbox` at all (the sandbox switcher lists these). */
export function mayEnter(p: Principal, sandbox: string): boolean {
  return p.grants.some((g) => inSandbox(g, sandbox));
}

/** Whether the principal holds `permission` in every sandbox, present and future (operator-level acts: private hosts). */
export function canEverywhere(p: Principal, permission: Permission): boolean {
  return p.grants.some((g) => g.sandboxes.includes('*') && g.role.permissions.includes(permission));
}

/** The sandboxes, of those that exist, the principal may enter. */
export function enterableSandboxes(p: Principal, existing: readonly string[]): string[] {
  return existing.filter((s) => mayEnter(p, s));
}

/** The labels the principal holds in `sandbox` (the union over its roles there); '*' for all. */
export function labelsIn(p: Principal, sandbox: string): '*' | ReadonlySet<string> {
  const out = new Set<string>();
  for (const g of p.grants) {
    if (!inSandbox(g, sandbox)) continue;
    if (g.role.labels.includes('*')) return '*';
    for (const l of g.role.labels) out.add(l);
  }
  return out;
}

/** OLAC: an object is visible (and changeable, with the permission) only when the principal holds every one of its labels. */
export function mayAccessLabels(
  p: Principal,
  sandbox: string,
  objectLabels: readonly string[] | undefined,
): boolean {
  if (!objectLabels || objectLabels.length === 0) return true;
  const held = labelsIn(p, sandbox);
  return held === '*' || objectLabels.every((l) => held.has(l));
}
