// Sign-in for the console (an API key, or a person's email and password, exchanged for a
// short-lived session cookie), sign-out (here or everywhere), who the caller is and what it may do
// (for the console's menu and buttons), the permission catalogue, and a one-off custom-action call
// (its "test" button).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { MeView } from '../../access/api-types.ts';
import { PERMISSIONS, PERMISSION_GROUPS } from '../../access/permissions.ts';
import { labelsIn, mayEnter, permissionsIn, type Principal } from '../../access/policy.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { findKey, operatorPrincipal, type ApiKey } from '../auth.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { noteAudit } from '../audit-note.ts';
import { openApi } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type { actionTestAnswer } from '../../isomorphic/api/actions.ts';
import { principalOf, type RequestPrincipal, type SessionRef } from '../principal.ts';
import {
  sessionClearCookie,
  sessionSetCookie,
  sessionView,
  SignInThrottle,
  type Session,
  type SessionStore,
} from '../sessions.ts';

const actionTest = z.object({ parameters: z.record(z.string(), z.unknown()).default({}) });

const signIn = z
  .object({
    key: z.string().min(1).max(512).optional(),
    email: z.string().min(3).max(320).optional(),
    password: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .refine(
    (b) =>
      b.key !== undefined
        ? b.email === undefined && b.password === undefined
        : b.email !== undefined && b.password !== undefined,
    {
      message: 'send {"key": "..."} or {"email": "...", "password": "..."}',
    },
  );

const WRONG_PASSWORD = 'the email or password is wrong';

// Behind a TLS-terminating proxy the cookie must be Secure; on a plain loopback demo it cannot be.
const secure = (req: FastifyRequest): boolean =>
  req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';

const KEY_REFUSALS: Readonly<Record<string, string>> = {
  revoked: 'the API key was revoked',
  expired: 'the API key has expired',
  disabled: 'the API key belongs to a disabled account',
};

/** The sandboxes the caller may enter, with their titles. */
async function enterable(app: Waymark, p: RequestPrincipal): Promise<MeView['sandboxes']> {
  return (await app.access.sandboxes.list())
    .filter((s) => mayEnter(p, s.name))
    .map((s) => ({ name: s.name, title: s.title, type: s.type }));
}

async function me(app: Waymark, p: RequestPrincipal): Promise<MeView & { readonly name: string }> {
  const held = permissionsIn(p, p.sandbox);
  const labels = labelsIn(p, p.sandbox);
  const roles = [
    ...new Set(
      p.grants
        .filter((g) => g.sandboxes.includes('*') || g.sandboxes.includes(p.sandbox))
        .map((g) => g.role.name),
    ),
  ];
  return {
    actor: p.actor,
    // The console's shell reads the name beside the actor.
    name: p.actor.name,
    via: p.via,
    sandbox: p.sandbox,
    sandboxes: await enterable(app, p),
    roles,
    permissions: PERMISSIONS.filter((x) => held.has(x)),
    labels: labels === '*' ? '*' : [...labels].sort(),
  };
}

export function sessionRoutes(app: Waymark, keys: readonly ApiKey[], sessions: SessionStore) {
  const throttle = new SignInThrottle();
  const directory = app.access.directory;

  /** Opens the session and answers it, with its cookie. */
  const open = (
    req: FastifyRequest,
    reply: FastifyReply,
    ref: SessionRef,
    principal: Principal,
    via: Session['via'],
  ) => {
    const { id, session } = sessions.create(ref, via);
    void reply.header(
      'set-cookie',
      sessionSetCookie(id, Math.floor((session.expiresAt - session.createdAt) / 1000), secure(req)),
    );
    void reply.header('cache-control', 'no-store');
    return sessionView(session, principal);
  };

  /** Sign-in with a key: the operator's static keys first, then the directory's. */
  const withKey = async (req: FastifyRequest, reply: FastifyReply, key: string) => {
    const operator = findKey(keys, key);
    if (operator)
      return open(
        req,
        reply,
        { kind: 'operator', key: operator },
        operatorPrincipal(operator),
        'key',
      );
    const found = await directory.principalForKey(key);
    if ('refused' in found)
      throw new WaymarkError(
        ErrorCode.Unauthorized,
        KEY_REFUSALS[found.refused] ?? 'the API key is not valid',
        { details: { reason: found.refused } },
      );
    return open(req, reply, { kind: 'key', keyId: found.keyId }, found.principal, 'key');
  };

  /** Sign-in with email and password: one answer for either wrong, and a pause after repeated failures. */
  const withPassword = async (
    req: FastifyRequest,
    reply: FastifyReply,
    email: string,
    password: string,
  ) => {
    const attempt = `${email.trim().toLowerCase()}|${req.ip}`;
    const wait = throttle.retryAfter(attempt);
    if (wait > 0) {
      return reply
        .status(429)
        .header('retry-after', String(wait))
        .send({
          error: {
            code: 'too_many_attempts',
            message: `too many failed sign-ins for this email: try again in ${Math.ceil(wait / 60)} minute(s)`,
            details: { retryAfterSeconds: wait },
          },
        });
    }
    const verified = await directory.verifyPassword(email, password);
    if (!verified) {
      throttle.fail(attempt);
      throw new WaymarkError(ErrorCode.Unauthorized, WRONG_PASSWORD);
    }
    throttle.succeed(attempt);
    const principal = await directory.principalForUser(verified.userId, verified.epoch);
    if ('refused' in principal)
      throw new WaymarkError(
        ErrorCode.Unauthorized,
        principal.refused === 'disabled' ? 'this account is disabled' : WRONG_PASSWORD,
        { details: { reason: principal.refused } },
      );
    return open(
      req,
      reply,
      { kind: 'user', userId: verified.userId, epoch: verified.epoch },
      principal,
      'password',
    );
  };

  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['session'];
    f.post(
      '/session',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            'Sign in with an API key ({"key": "..."}) or an email and password ({"email", "password"}): answers who is signed in and the CSRF token that requests signed in by the cookie (HttpOnly, SameSite=Strict) must send as x-csrf-token. Five failed passwords for an email within 15 minutes pause its sign-in (429).',
          body: openApi(signIn),
          security: [],
        },
      },
      async (req, reply) => {
        const body = parseWith(signIn, req.body ?? {}, 'sign-in');
        return body.key !== undefined
          ? withKey(req, reply, body.key)
          : withPassword(req, reply, body.email!, body.password!);
      },
    );

    f.get(
      '/session',
      {
        config: { permission: 'signed-in', anySandbox: true },
        schema: {
          tags,
          summary:
            'The console session in use (who, its CSRF token and end), so a reload stays signed in',
        },
      },
      async (req, reply) => {
        const s = req.consoleSession;
        if (!s)
          throw new WaymarkError(
            ErrorCode.NotFound,
            'this request is signed with an API key, not a console session',
          );
        void reply.header('cache-control', 'no-store');
        return sessionView(s.session, principalOf(req));
      },
    );

    f.delete(
      '/session',
      {
        config: { permission: 'signed-in', anySandbox: true },
        schema: { tags, summary: 'Sign out: end the console session and clear its cookie' },
      },
      async (req, reply) => {
        if (req.consoleSession) sessions.end(req.consoleSession.id);
        return reply
          .status(204)
          .header('set-cookie', sessionClearCookie(secure(req)))
          .send();
      },
    );

    f.post(
      '/session/sign-out-everywhere',
      {
        config: { permission: 'signed-in', anySandbox: true },
        schema: {
          tags,
          summary:
            'Sign out everywhere: end every session of the signed-in person, on every device (people only: an API key is revoked instead)',
        },
      },
      async (req, reply) => {
        const { actor } = principalOf(req);
        if (actor.kind !== 'user')
          throw new WaymarkError(
            ErrorCode.BadRequest,
            'only a person signs out everywhere: an API key is revoked instead (DELETE /v1/api-keys/{id})',
            { details: { actor: actor.kind } },
          );
        await directory.signOutEverywhere(actor.id);
        sessions.endAllFor(actor.id);
        noteAudit(req, {
          action: 'user.sign-out-everywhere',
          sandbox: null,
          object: { kind: 'user', key: actor.id, name: actor.name },
        });
        return reply
          .status(204)
          .header('set-cookie', sessionClearCookie(secure(req)))
          .send();
      },
    );

    f.get(
      '/me',
      {
        config: { permission: 'signed-in' },
        schema: {
          tags,
          summary:
            "The caller: who it is, its roles, permissions and access labels in the request's sandbox, and the sandboxes it may use",
        },
      },
      async (req) => me(app, principalOf(req)),
    );

    f.get(
      '/permissions',
      {
        config: { permission: 'signed-in' },
        schema: { tags, summary: 'The permission catalogue, grouped as the role page shows it' },
      },
      async () => ({ permissions: PERMISSIONS, groups: PERMISSION_GROUPS }),
    );

    f.post<{ Params: { name: string } }>(
      '/actions/:name/test',
      {
        config: { permission: 'actions.manage' },
        schema: {
          tags: ['custom action'],
          summary:
            'Call a custom action once with the given parameters ({"parameters": {...}}) and see its answer',
          body: openApi(actionTest),
        },
      },
      async (req): Promise<Answer<typeof actionTestAnswer>> => {
        const { parameters } = parseWith(actionTest, req.body ?? {}, 'action test');
        return app.testAction(sandboxOf(req), req.params.name, parameters);
      },
    );
  };
}
