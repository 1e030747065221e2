// No escalation: a caller grants (to a person or a key) only a role whose every permission, and
// every access label, it holds itself in each sandbox granted; a grant in every sandbox ('*') needs
// them everywhere. The same rule guards changing or removing someone who holds more than the caller.
import { canEverywhere, labelsIn, permissionsIn, type Principal } from '../../../access/policy.ts';
import type { RoleDefinition } from '../../../access/roles.ts';
import { ErrorCode, WaymarkError } from '../../../errors.ts';

const heldEverywhere = (p: Principal): '*' | ReadonlySet<string> => {
  const out = new Set<string>();
  for (const g of p.grants) {
    if (!g.sandboxes.includes('*')) continue;
    if (g.role.labels.includes('*')) return '*';
    for (const l of g.role.labels) out.add(l);
  }
  return out;
};

/** What the caller lacks to grant `role` in `sandboxes` (empty: it may). */
export function missingToGrant(
  caller: Principal,
  role: RoleDefinition,
  sandboxes: readonly string[],
): string[] {
  const missing = new Set<string>();
  const labelsOk = (held: '*' | ReadonlySet<string>): boolean =>
    held === '*' || (!role.labels.includes('*') && role.labels.every((l) => held.has(l)));
  if (sandboxes.includes('*')) {
    for (const perm of role.permissions)
      if (!canEverywhere(caller, perm)) missing.add(`${perm} in every sandbox`);
    if (!labelsOk(heldEverywhere(caller))) missing.add('its access labels in every sandbox');
    return [...missing];
  }
  for (const s of sandboxes) {
    const held = permissionsIn(caller, s);
    for (const perm of role.permissions) if (!held.has(perm)) missing.add(`${perm} in ${s}`);
    if (!labelsOk(labelsIn(caller, s))) missing.add(`its access labels in ${s}`);
  }
  return [...missing];
}

/** Refuses (403) a grant the caller could not hold itself. */
export function assertMayGrant(
  caller: Principal,
  grants: ReadonlyArray<{ role: RoleDefinition; sandboxes: readonly string[] }>,
  what = 'grant',
): void {
  for (const g of grants) {
    const missing = missingToGrant(caller, g.role, g.sandboxes);
    if (missing.length > 0) {
      throw new WaymarkError(
        ErrorCode.Forbidden,
        `you cannot ${what} the role "${g.role.name}" in ${g.sandboxes.includes('*') ? 'every sandbox' : g.sandboxes.join(', ')}: it has permissions you do not hold (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`,
        { details: { code: 'escalation', role: g.role.name, missing } },
      );
    }
  }
}

/**
 * The roles an assignment names, checked: each role exists and each sandbox exists (or is '*');
 * bad ones are answered 400 with the path of the offending entry.
 */
export async function resolveAssignments(
  deps: {
    getRole(name: string): Promise<RoleDefinition>;
    sandboxExists(name: string): Promise<boolean>;
  },
  assignments: ReadonlyArray<{ role: string; sandboxes: readonly string[] }>,
  /** Where the assignments are in the body: 'body.roles' (a list), or 'body' for one role with its sandboxes (a key). */
  at: string,
): Promise<Array<{ role: RoleDefinition; sandboxes: readonly string[] }>> {
  const out: Array<{ role: RoleDefinition; sandboxes: readonly string[] }> = [];
  const single = at === 'body';
  for (const [i, a] of assignments.entries()) {
    const where = (field: string): string => (single ? `${at}.${field}` : `${at}.${i}.${field}`);
    const role = await deps.getRole(a.role).catch(() => null);
    if (!role)
      throw new WaymarkError(ErrorCode.ValidationFailed, `there is no role "${a.role}"`, {
        issues: [
          {
            path: where('role'),
            message: 'an existing role (GET /v1/roles)',
            expected: 'a role name',
            received: a.role,
          },
        ],
      });
    for (const s of a.sandboxes) {
      if (s !== '*' && !(await deps.sandboxExists(s)))
        throw new WaymarkError(ErrorCode.ValidationFailed, `there is no sandbox "${s}"`, {
          issues: [
            {
              path: where('sandboxes'),
              message: 'existing sandboxes, or * for all',
              expected: 'a sandbox name or *',
              received: s,
            },
          ],
        });
    }
    out.push({ role, sandboxes: a.sandboxes });
  }
  return out;
}
