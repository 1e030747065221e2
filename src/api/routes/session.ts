// Sign-in for the console (an API key exchanged for a short-lived session cookie), who the caller
// is (for the console's menu), and a one-off custom-action call (its "test" button).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { findKey, type ApiKey } from '../auth.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { sessionClearCookie, sessionCookie, sessionSetCookie, sessionView, type SessionStore } from '../sessions.ts';

const signIn = z.object({ key: z.string().min(1).max(512) }).strict();

// Behind a TLS-terminating proxy the cookie must be Secure; on a plain loopback demo it cannot be.
const secure = (req: FastifyRequest): boolean => req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';

export function sessionRoutes(app: Waymark, keys: readonly ApiKey[], sessions: SessionStore) {
  return async (f: FastifyInstance): Promise<void> => {
    f.post('/session', {
      config: { access: 'public' },
      schema: { tags: ['session'], summary: 'Sign in: exchange an API key ({"key": "..."}) for a session cookie (HttpOnly, SameSite=Strict) and the CSRF token that requests signed in by it must send as x-csrf-token', security: [] },
    }, async (req, reply) => {
      const { key } = parseWith(signIn, req.body ?? {}, 'sign-in');
      const found = findKey(keys, key);
      if (!found) throw new WaymarkError(ErrorCode.Unauthorized, 'the API key is not valid');
      const { id, session } = sessions.create(found);
      void reply.header('set-cookie', sessionSetCookie(id, Math.floor((session.expiresAt - session.createdAt) / 1000), secure(req)));
      void reply.header('cache-control', 'no-store');
      return sessionView(session);
    });
    f.get('/session', { schema: { tags: ['session'], summary: 'The console session in use (its CSRF token and end), so a reload stays signed in' } }, async (req, reply) => {
      const cookie = req.principal?.via === 'session' ? sessionCookie(req.headers.cookie) : null;
      const session = cookie === null ? null : sessions.find(cookie);
      if (!session) throw new WaymarkError(ErrorCode.NotFound, 'this request is signed with an API key, not a console session');
      void reply.header('cache-control', 'no-store');
      return sessionView(session);
    });
    f.delete('/session', { schema: { tags: ['session'], summary: 'Sign out: end the console session and clear its cookie' } }, async (req, reply) => {
      const cookie = sessionCookie(req.headers.cookie);
      if (cookie) sessions.end(cookie);
      return reply.status(204).header('set-cookie', sessionClearCookie(secure(req))).send();
    });
    f.get('/me', { schema: { tags: ['session'], summary: 'The caller: its key\'s name and the sandboxes it may use' } }, async (req) => {
      const p = req.principal;
      const sandboxes = p?.grants.flatMap((g) => g.sandboxes) ?? [];
      return { name: p?.actor.name ?? null, sandboxes, sandbox: sandboxOf(req), rights: sandboxes.includes('*') ? ['admin'] : ['sandbox'] };
    });
    f.post<{ Params: { name: string } }>('/actions/:name/test', { schema: { tags: ['custom action'], summary: 'Call a custom action once with the given parameters ({"parameters": {...}}) and see its answer' } }, async (req) => {
      const { parameters } = parseWith(z.object({ parameters: z.record(z.string(), z.unknown()).default({}) }), req.body ?? {}, 'action test');
      return app.testAction(sandboxOf(req), req.params.name, parameters);
    });
  };
}
