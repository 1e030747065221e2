// Roles: everyone signed in reads them (the console words permissions with them); roles.manage
// creates and changes custom roles and deletes those nobody holds. Built-in roles are read-only.
import type { FastifyInstance } from 'fastify';
import { roleBody } from '../../access/api-schemas.ts';
import type { RoleView } from '../../access/api-types.ts';
import type { RoleDefinition } from '../../access/roles.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { assertMayGrant } from '../../runtime/access/directory/escalation.ts';
import { noteAudit } from '../audit-note.ts';
import { principalOf } from '../principal.ts';
import { openApi, parseInput } from './request-input.ts';

export function roleRoutes(app: Waymark) {
  const directory = app.access.directory;
  const withHolders = async (roles: readonly RoleDefinition[]): Promise<RoleView[]> => {
    const [users, keys] = await Promise.all([directory.listUsers(), directory.listKeys()]);
    const count = (name: string): number =>
      users.filter((u) => u.roles.some((r) => r.role === name)).length +
      keys.filter((k) => k.revokedAt === null && k.role === name).length;
    return roles.map((r) => ({ ...r, holders: count(r.name) }));
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/roles',
      {
        config: { permission: 'signed-in' },
        schema: {
          tags: ['access'],
          summary:
            'The roles (built-in and custom) with their permissions, access labels and how many users and keys hold each',
        },
      },
      async () => ({ items: await withHolders(await directory.listRoles()) }),
    );

    f.get<{ Params: { name: string } }>(
      '/roles/:name',
      {
        config: { permission: 'signed-in' },
        schema: { tags: ['access'], summary: 'One role' },
      },
      async (req) => (await withHolders([await directory.getRole(req.params.name)]))[0],
    );

    f.put<{ Params: { name: string } }>(
      '/roles/:name',
      {
        config: { permission: 'roles.manage' },
        schema: {
          tags: ['access'],
          summary:
            'Create or change a custom role (name: lowercase letters, digits and -); built-in roles cannot be changed',
          body: openApi(roleBody),
        },
      },
      async (req) => {
        const body = parseInput(roleBody, req.body ?? {}, 'body');
        const name = req.params.name;
        if (body.name !== undefined && body.name !== name)
          throw new WaymarkError(
            ErrorCode.ValidationFailed,
            "the role's name in the body differs from the one in the path",
            {
              issues: [
                {
                  path: 'body.name',
                  message: 'the same name as in the path (renaming is not supported)',
                  expected: name,
                  received: body.name,
                },
              ],
            },
          );
        const caller = principalOf(req);
        const role = {
          name,
          title: body.title,
          description: body.description,
          permissions: body.permissions,
          labels: body.labels,
        };
        // A role may be granted anywhere later on: its author holds every permission it lists, everywhere.
        assertMayGrant(caller, [{ role: { ...role, builtIn: false }, sandboxes: ['*'] }], 'define');
        const existed = await directory.getRole(name).then(
          () => true,
          () => false,
        );
        const saved = await directory.putRole(role, caller.actor);
        noteAudit(req, {
          action: 'role.put',
          sandbox: null,
          object: { kind: 'role', key: name, name: saved.title },
          details: { created: !existed, permissions: saved.permissions, labels: saved.labels },
        });
        return (await withHolders([saved]))[0];
      },
    );

    f.delete<{ Params: { name: string } }>(
      '/roles/:name',
      {
        config: { permission: 'roles.manage' },
        schema: {
          tags: ['access'],
          summary:
            'Delete a custom role nobody holds (409 in_use names the users and keys that do)',
        },
      },
      async (req, reply) => {
        const caller = principalOf(req);
        const role = await directory.getRole(req.params.name);
        await directory.deleteRole(role.name, caller.actor);
        noteAudit(req, {
          action: 'role.delete',
          sandbox: null,
          object: { kind: 'role', key: role.name, name: role.title },
        });
        return reply.status(204).send();
      },
    );
  };
}
