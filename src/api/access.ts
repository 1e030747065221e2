// Who may call which route, decided on the route the router matched, never on the request's URL
// text: a route is public only when it says so (`config: { access: 'public' }`); every other route,
// and every path no route matched, needs an API key or a console session whose key may use the
// request's sandbox. Percent-encoded, doubled, mixed-case or dotted spellings of a path therefore
// cannot reach a route without its check: whatever the router decides the path means, the route it
// picked carries the rule.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findKey, presentedKey, type ApiKey } from './auth.ts';
import { sandboxOf } from './context.ts';
import { builtInRole } from '../access/roles.ts';
import type { RouteRequirement } from '../access/permissions.ts';
import type { RequestPrincipal } from './principal.ts';
import { csrfMatches, CSRF_HEADER, sessionCookie, type Session, type SessionStore } from './sessions.ts';

export type RouteAccess = 'public' | 'key';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public' for routes anyone may call (health, tracking, signed webhooks, the console's files). */
    access?: RouteAccess;
    /**
     * What the route needs (src/access/permissions.ts): a permission, 'signed-in' or 'public'. Routes
     * that do not say are looked up in src/api/route-permissions.ts; a route in neither fails at start.
     */
    permission?: RouteRequirement;
    /** Check the permission in the sandbox this path parameter names, not the x-sandbox-name header's. */
    sandboxParam?: string;
    /** Check the permission as held in every sandbox ('*'): acts above any one sandbox (creating one). */
    everywhere?: boolean;
  }
  interface FastifyRequest {
    /** The caller, set by the access check on every route that is not public. */
    principal: RequestPrincipal | null;
  }
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function refuse(reply: FastifyReply, status: 401 | 403, code: string, message: string): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.status(status).send({ error: { code, message } });
}

/** The caller of a request, or the answer that refuses it. */
function identify(req: FastifyRequest, keys: readonly ApiKey[], sessions: SessionStore): { key: ApiKey; session: Session | null } | { status: 401 | 403; code: string; message: string } {
  const presented = presentedKey(req.headers);
  if (presented !== null) {
    const key = findKey(keys, presented);
    return key ? { key, session: null } : { status: 401, code: 'unauthorized', message: 'the API key is not valid' };
  }
  const cookie = sessionCookie(req.headers.cookie);
  if (cookie === null) return { status: 401, code: 'unauthorized', message: 'an API key is required: Authorization: Bearer <key> (or sign in to the console)' };
  const session = sessions.find(cookie);
  if (!session) return { status: 401, code: 'session_ended', message: 'the session has ended: sign in again' };
  if (!SAFE_METHODS.has(req.method)) {
    const csrf = req.headers[CSRF_HEADER];
    if (!csrfMatches(session, typeof csrf === 'string' ? csrf : undefined)) return { status: 403, code: 'csrf_failed', message: `a request signed in by cookie must carry the session's ${CSRF_HEADER} header` };
  }
  return { key: session.key, session };
}

/**
 * Registers the access check on `f` (the root instance, before any route). Returns the table of
 * every route registered afterwards with its access, for the tests that hold the public set fixed.
 */
export function registerAccessControl(f: FastifyInstance, keys: readonly ApiKey[], sessions: SessionStore): RouteEntry[] {
  const table: RouteEntry[] = [];
  f.decorateRequest('principal', null);
  f.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access: RouteAccess = route.config?.access === 'public' ? 'public' : 'key';
    for (const method of methods) table.push({ method, url: route.url ?? route.path, access });
  });
  f.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.access === 'public') return;
    const who = identify(req, keys, sessions);
    if ('status' in who) return refuse(reply, who.status, who.code, who.message);
    const sandbox = sandboxOf(req);
    if (!who.key.sandboxes.includes('*') && !who.key.sandboxes.includes(sandbox)) {
      return refuse(reply, 403, 'forbidden', `the API key "${who.key.name}" may not use sandbox "${sandbox}"`);
    }
    req.principal = { actor: { kind: 'operator', id: who.key.name, name: who.key.name }, grants: [{ role: builtInRole('admin')!, sandboxes: who.key.sandboxes }], via: who.session ? 'session' : 'key', sandbox };
  });
  return table;
}
