// People (users.manage): list, create with a password, invite by email, change roles or status,
// sign out everywhere, delete. Nobody grants (or takes from someone) more than they hold themselves.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  userCreateBody as createBody,
  userInviteBody as inviteBody,
  userPatchBody as patchBody,
} from '../../access/api-schemas.ts';
import type { Invitation, RoleAssignment, UserView } from '../../access/api-types.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { invitationEmail, sendAccountEmail } from '../../runtime/access/directory/account-email.ts';
import { assertMayGrant, resolveAssignments } from '../../runtime/access/directory/escalation.ts';
import { noteAudit } from '../audit-note.ts';
import { principalOf } from '../principal.ts';
import { openApi, parseInput } from './request-input.ts';

export function userRoutes(app: Waymark) {
  const directory = app.access.directory;
  const resolve = (roles: readonly RoleAssignment[]) =>
    resolveAssignments(
      {
        getRole: (n) => directory.getRole(n),
        sandboxExists: (s) => app.access.sandboxes.exists(s),
      },
      roles,
      'body.roles',
    );
  // What a user holds now (roles deleted since give nothing), to refuse changing someone above the caller.
  const heldBy = async (u: UserView) => {
    const out = [];
    for (const a of u.roles) {
      const role = await directory.getRole(a.role).catch(() => null);
      if (role) out.push({ role, sandboxes: a.sandboxes });
    }
    return out;
  };
  const note = (
    req: FastifyRequest,
    action: string,
    u: UserView,
    details?: Record<string, unknown>,
  ): void =>
    noteAudit(req, {
      action,
      sandbox: null,
      object: { kind: 'user', key: u.id, name: u.email },
      ...(details ? { details } : {}),
    });
  const notSelf = (req: FastifyRequest, id: string, what: string): void => {
    const actor = principalOf(req).actor;
    if (actor.kind === 'user' && actor.id === id)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `you cannot ${what} yourself: ask another administrator`,
        { details: { id } },
      );
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/users',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary: 'The people who may sign in: email, status, roles per sandbox, last sign-in',
        },
      },
      async () => ({ items: await directory.listUsers() }),
    );

    f.post(
      '/users',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary: 'Create an active user with a password (at least 12 characters, not the email)',
          body: openApi(createBody),
        },
      },
      async (req, reply) => {
        const body = parseInput(createBody, req.body ?? {}, 'body');
        const caller = principalOf(req);
        assertMayGrant(caller, await resolve(body.roles));
        const u = await directory.createUser(
          {
            email: body.email,
            ...(body.name ? { name: body.name } : {}),
            password: body.password,
            roles: body.roles,
          },
          caller.actor,
        );
        note(req, 'user.create', u, { roles: u.roles });
        return reply.status(201).send(u);
      },
    );

    f.post(
      '/users/invitations',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary:
            'Invite someone: an email with a one-time link (7 days) to choose a password; without an email channel, the link is answered (acceptUrl) to pass on',
          body: openApi(inviteBody),
        },
      },
      async (req, reply) => {
        const body = parseInput(inviteBody, req.body ?? {}, 'body');
        const caller = principalOf(req);
        assertMayGrant(caller, await resolve(body.roles));
        const { user, token } = await directory.inviteUser(
          { email: body.email, ...(body.name ? { name: body.name } : {}), roles: body.roles },
          caller.actor,
        );
        const acceptUrl = `${app.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
        const sent = await sendAccountEmail(
          app,
          invitationEmail({
            to: user.email,
            name: user.name,
            invitedBy: caller.actor.name,
            url: acceptUrl,
          }),
        );
        note(req, 'user.invite', user, { roles: user.roles, emailed: sent.sent });
        void reply.header('cache-control', 'no-store');
        const answer: Invitation = sent.sent
          ? { user, emailed: true }
          : {
              user,
              emailed: false,
              acceptUrl,
              warning: `No email was sent (${sent.reason}): give ${user.email} this link privately; it works once, for 7 days.`,
            };
        return reply.status(201).send(answer);
      },
    );

    f.get<{ Params: { id: string } }>(
      '/users/:id',
      {
        config: { permission: 'users.manage' },
        schema: { tags: ['access'], summary: 'One user' },
      },
      async (req) => directory.getUser(req.params.id),
    );

    f.patch<{ Params: { id: string } }>(
      '/users/:id',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary:
            "Change a user's name, roles, or status (disabled: signed out at once and cannot sign in)",
          body: openApi(patchBody),
        },
      },
      async (req) => {
        const body = parseInput(patchBody, req.body ?? {}, 'body');
        const caller = principalOf(req);
        const before = await directory.getUser(req.params.id);
        if (body.roles !== undefined || body.status !== undefined)
          assertMayGrant(caller, await heldBy(before), 'change someone who holds');
        if (body.roles !== undefined) assertMayGrant(caller, await resolve(body.roles));
        if (body.status === 'disabled') notSelf(req, before.id, 'disable');
        const u = await directory.updateUser(before.id, body, caller.actor);
        note(req, 'user.update', u, {
          ...(body.roles !== undefined ? { roles: { before: before.roles, after: u.roles } } : {}),
          ...(body.status !== undefined
            ? { status: { before: before.status, after: u.status } }
            : {}),
          ...(body.name !== undefined ? { name: { before: before.name, after: u.name } } : {}),
        });
        return u;
      },
    );

    f.delete<{ Params: { id: string } }>(
      '/users/:id',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary: 'Delete a user: they cannot sign in any more (the audit log keeps their email)',
        },
      },
      async (req, reply) => {
        const caller = principalOf(req);
        const u = await directory.getUser(req.params.id);
        notSelf(req, u.id, 'delete');
        assertMayGrant(caller, await heldBy(u), 'delete someone who holds');
        await directory.deleteUser(u.id, caller.actor);
        note(req, 'user.delete', u);
        return reply.status(204).send();
      },
    );

    f.post<{ Params: { id: string } }>(
      '/users/:id/sign-out',
      {
        config: { permission: 'users.manage' },
        schema: {
          tags: ['access'],
          summary: 'Sign a user out everywhere: every session of theirs ends now',
        },
      },
      async (req, reply) => {
        const u = await directory.getUser(req.params.id);
        await directory.signOutEverywhere(u.id);
        note(req, 'user.sign-out', u);
        return reply.status(204).send();
      },
    );
  };
}
