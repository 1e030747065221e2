// Roles: the built-in ones (src/access/roles.ts, read-only) and custom ones stored as sets of the
// same permissions. A role held by a user or a key cannot be deleted.
import { isPermission, type Permission } from '../../../access/permissions.ts';
import { BUILT_IN_ROLES, builtInRole, type RoleDefinition } from '../../../access/roles.ts';
import type { Actor } from '../../../access/policy.ts';
import { ErrorCode, notFound, WaymarkError, type ErrorIssue } from '../../../errors.ts';
import { KIND, type CustomRoleRecord, type KeyRecord, type UserRecord } from './records.ts';
import type { Space } from './space.ts';

export const ROLE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/;

const asRole = (r: CustomRoleRecord): RoleDefinition => ({ ...r, builtIn: false });

export function roleStore(space: Space) {
  /** A role by name, or undefined (a grant of an unknown role gives nothing). */
  async function find(name: string): Promise<RoleDefinition | undefined> {
    const b = builtInRole(name);
    if (b) return b;
    const stored = await space.get<CustomRoleRecord>(KIND.role, name);
    return stored ? asRole(stored.body) : undefined;
  }

  /** Who holds the role: users by email, keys by name (revoked keys hold nothing). */
  async function holders(name: string): Promise<{ users: string[]; keys: string[] }> {
    const users = (await space.list<UserRecord>(KIND.user))
      .filter((u) => u.roles.some((a) => a.role === name))
      .map((u) => u.email);
    const keys = (await space.list<KeyRecord>(KIND.apiKey))
      .filter((k) => k.revokedAt === null && k.role === name)
      .map((k) => k.name);
    return { users, keys };
  }

  return {
    find,
    holders,
    async list(): Promise<RoleDefinition[]> {
      const custom = (await space.list<CustomRoleRecord>(KIND.role))
        .map(asRole)
        .sort((a, b) => a.name.localeCompare(b.name));
      return [...BUILT_IN_ROLES, ...custom];
    },
    async get(name: string): Promise<RoleDefinition> {
      const r = await find(name);
      if (!r) throw notFound('role', name);
      return r;
    },
    async put(role: Omit<RoleDefinition, 'builtIn'>, _by: Actor): Promise<RoleDefinition> {
      if (builtInRole(role.name))
        throw new WaymarkError(
          ErrorCode.Conflict,
          `"${role.name}" is a built-in role: it cannot be changed (create a custom role instead)`,
          { details: { role: role.name } },
        );
      const issues: ErrorIssue[] = [];
      if (!ROLE_NAME.test(role.name))
        issues.push({
          path: 'params.name',
          message: 'lowercase letters, digits and -',
          expected: '[a-z0-9-]',
          received: role.name,
        });
      role.permissions.forEach((p, i) => {
        if (!isPermission(p))
          issues.push({
            path: `body.permissions.${i}`,
            message: 'not a known permission (GET /v1/permissions lists them)',
            expected: 'a permission',
            received: String(p),
          });
      });
      role.labels.forEach((l, i) => {
        if (l !== '*' && !LABEL.test(l))
          issues.push({
            path: `body.labels.${i}`,
            message: 'a label: letters, digits, space, _ . : -',
            expected: 'a label or *',
            received: l,
          });
      });
      if (issues.length > 0)
        throw new WaymarkError(ErrorCode.ValidationFailed, 'the role is invalid', { issues });
      const record: CustomRoleRecord = {
        name: role.name,
        title: role.title.trim() || role.name,
        description: role.description,
        permissions: [...new Set(role.permissions)] as Permission[],
        labels: [...new Set(role.labels)],
      };
      await space.put(KIND.role, role.name, record);
      return asRole(record);
    },
    async delete(name: string, _by: Actor): Promise<void> {
      if (builtInRole(name))
        throw new WaymarkError(
          ErrorCode.Conflict,
          `"${name}" is a built-in role: it cannot be deleted`,
          { details: { role: name } },
        );
      if (!(await space.get(KIND.role, name))) throw notFound('role', name);
      const h = await holders(name);
      if (h.users.length + h.keys.length > 0) {
        const named = [...h.users.map((u) => `user ${u}`), ...h.keys.map((k) => `API key "${k}"`)];
        throw new WaymarkError(
          ErrorCode.InUse,
          `the role "${name}" is held by ${named.join(', ')}: give them another role first`,
          { details: { usedBy: { users: h.users, keys: h.keys } } },
        );
      }
      await space.remove(KIND.role, name);
    },
  };
}

export type RoleStore = ReturnType<typeof roleStore>;
