// The one place the server enforces access. Every route declares what it needs (config.permission,
// or an entry in route-permissions.ts for the routes older than it); a route with none makes
// the server refuse to start. The decision is taken on the route the router matched, never on the
// request's URL text, so percent-encoded, doubled, mixed-case or dotted spellings of a path cannot
// reach a route without its check. Each request: who the caller is (a presented key, else the
// console session, resolved again each time so revocations hold at once), which sandbox it acts in
// (and whether that sandbox exists and the caller may enter it), then the route's permission there.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { can, canEverywhere, mayEnter, type Principal } from '../access/policy.ts';
import { isPermission, type RouteRequirement } from '../access/permissions.ts';
import { sandboxNameSchema } from '../model/common.ts';
import type { AccessServices } from '../runtime/access/index.ts';
import { findKey, operatorPrincipal, presentedKey, type ApiKey } from './auth.ts';
import { sandboxOf } from './context.ts';
import type { RequestPrincipal, SessionRef } from './principal.ts';
import { tabledRequirement } from './route-permissions.ts';
import {
  csrfMatches,
  CSRF_HEADER,
  sessionCookie,
  type Session,
  type SessionStore,
} from './sessions.ts';

export type RouteAccess = 'public' | 'key';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the route needs (src/access/permissions.ts): a permission, 'signed-in', or 'public' for
     * routes anyone may call (health, tracking, signed webhooks, the console's files). Routes
     * that do not say are looked up in src/api/route-permissions.ts; a route in neither fails at start.
     */
    permission?: RouteRequirement;
    /** Check the permission in the sandbox this path parameter names, not the x-sandbox-name header's. */
    sandboxParam?: string;
    /** Check the permission as held in every sandbox ('*'): acts above any one sandbox (creating one). */
    everywhere?: boolean;
    /**
     * A 'signed-in' route about the caller itself, not a sandbox (the session, signing out): answered
     * whatever sandbox the request names, so signing out works even from a sandbox one has lost.
     */
    anySandbox?: boolean;
    /**
     * The key may also come as HTTP Basic credentials' user name (Segment's write key): for the
     * routes that stand in for another product's API, whose clients cannot send a bearer token.
     * A caller naming no sandbox acts in the key's own (its first, when it may not use prod).
     */
    writeKey?: boolean;
  }
  interface FastifyRequest {
    /** The caller, set by the access check on every route that is not public. */
    principal: RequestPrincipal | null;
    /** The console session the request came with, when it came with one. */
    consoleSession: { readonly id: string; readonly session: Session } | null;
  }
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  /** 'public' for routes anyone may call; 'key' for every other (a caller is needed). */
  readonly access: RouteAccess;
  readonly permission: RouteRequirement;
  /** The permission is checked in the sandbox this path parameter names. */
  readonly sandboxParam?: string;
  /** The permission must be held in every sandbox. */
  readonly everywhere?: boolean;
  /** Answered whatever sandbox the request names. */
  readonly anySandbox?: boolean;
}

export interface AccessOptions {
  /** The operator's static keys (WAYMARK_ADMIN_KEY, tests), checked before the directory's. */
  readonly keys: readonly ApiKey[];
  readonly sessions: SessionStore;
  readonly access: Pick<AccessServices, 'directory' | 'sandboxes'>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

interface RouteLike {
  readonly method: string;
  readonly url: string;
  readonly config?: { readonly permission?: RouteRequirement } | undefined;
}

/** What a route needs: its own config first, then the table of routes that predate access control. */
export function requirementOf(route: RouteLike): RouteRequirement | undefined {
  const declared = route.config?.permission;
  if (declared !== undefined) {
    if (declared !== 'public' && declared !== 'signed-in' && !isPermission(declared))
      throw new Error(
        `route ${route.method} ${route.url} declares an unknown permission "${String(declared)}"`,
      );
    return declared;
  }
  return tabledRequirement(route.method, route.url);
}

interface Refusal {
  readonly status: 401 | 403 | 404;
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}
interface Caller {
  readonly principal: Principal;
  readonly via: 'key' | 'session';
  readonly session: { id: string; session: Session } | null;
}

function refuse(reply: FastifyReply, r: Refusal): FastifyReply {
  if (r.status === 401) void reply.header('www-authenticate', 'Bearer');
  return reply.status(r.status).send({
    error: { code: r.code, message: r.message, ...(r.details ? { details: r.details } : {}) },
  });
}

const KEY_REFUSALS: Readonly<Record<string, string>> = {
  unknown: 'the API key is not valid',
  revoked: 'the API key was revoked',
  expired: 'the API key has expired',
  disabled: 'the API key belongs to a disabled account',
};

const SESSION_REFUSALS: Readonly<Record<string, string>> = {
  unknown: 'the account of this session no longer exists: sign in again',
  revoked: 'the API key this session was opened with was revoked: sign in again',
  expired: 'the API key this session was opened with has expired: sign in again',
  disabled: 'the account of this session is disabled',
  'signed-out': 'the session was ended by signing out everywhere: sign in again',
};

/** The caller of a request, or the answer that refuses it. */
async function identify(
  req: FastifyRequest,
  o: AccessOptions,
  operators: ReadonlyMap<ApiKey, Principal>,
): Promise<Caller | Refusal> {
  const presented = presentedKey(req.headers, req.routeOptions.config?.writeKey === true);
  if (presented !== null) {
    const key = findKey(o.keys, presented);
    if (key) return { principal: operators.get(key)!, via: 'key', session: null };
    const found = await o.access.directory.principalForKey(presented);
    if ('refused' in found)
      return {
        status: 401,
        code: 'unauthorized',
        message: KEY_REFUSALS[found.refused] ?? KEY_REFUSALS['unknown']!,
        details: { reason: found.refused },
      };
    return { principal: found.principal, via: 'key', session: null };
  }
  const cookie = sessionCookie(req.headers.cookie);
  if (cookie === null)
    return {
      status: 401,
      code: 'unauthorized',
      message: 'an API key is required: Authorization: Bearer <key> (or sign in to the console)',
    };
  const session = o.sessions.find(cookie);
  if (!session)
    return { status: 401, code: 'session_ended', message: 'the session has ended: sign in again' };
  if (!SAFE_METHODS.has(req.method)) {
    const csrf = req.headers[CSRF_HEADER];
    if (!csrfMatches(session, typeof csrf === 'string' ? csrf : undefined))
      return {
        status: 403,
        code: 'csrf_failed',
        message: `a request signed in by cookie must carry the session's ${CSRF_HEADER} header`,
      };
  }
  const resolved = await resolveRef(session.ref, o, operators);
  if ('refused' in resolved) {
    o.sessions.end(cookie);
    return {
      status: 401,
      code: 'session_ended',
      message: SESSION_REFUSALS[resolved.refused] ?? 'the session has ended: sign in again',
      details: { reason: resolved.refused },
    };
  }
  return { principal: resolved, via: 'session', session: { id: cookie, session } };
}

/** The principal a session stands for, read again now. */
export async function resolveRef(
  ref: SessionRef,
  o: Pick<AccessOptions, 'access'>,
  operators: ReadonlyMap<ApiKey, Principal>,
): Promise<Principal | { refused: string }> {
  if (ref.kind === 'operator') return operators.get(ref.key) ?? operatorPrincipal(ref.key);
  if (ref.kind === 'key') return o.access.directory.principalForKeyId(ref.keyId);
  return o.access.directory.principalForUser(ref.userId, ref.epoch);
}

/** The sandbox a request acts in: the route's sandbox parameter, else x-sandbox-name (default prod). */
function requestSandbox(
  req: FastifyRequest,
  param: string | undefined,
): { name: string; explicit: boolean } {
  if (param !== undefined)
    return { name: String((req.params as Record<string, unknown>)[param] ?? ''), explicit: true };
  const header = req.headers['x-sandbox-name'];
  return { name: sandboxOf(req), explicit: typeof header === 'string' && header.length > 0 };
}

/** Where a caller who named no sandbox lands on routes any caller may use: prod, else its first sandbox. */
function homeSandbox(p: Principal): string {
  if (mayEnter(p, 'prod')) return 'prod';
  for (const g of p.grants) for (const s of g.sandboxes) if (s !== '*') return s;
  return 'prod';
}

/**
 * Registers the access check on `f` (the root instance, before any route). Returns the table of
 * every route registered afterwards with its requirement (also published in /openapi.json as
 * `x-permission` on each operation).
 */
export function registerAccessControl(f: FastifyInstance, o: AccessOptions): RouteEntry[] {
  const table: RouteEntry[] = [];
  // Resolved once: a static key naming an unknown role stops the server here, not on first use.
  const operators = new Map(o.keys.map((k) => [k, operatorPrincipal(k)] as const));
  f.decorateRequest('principal', null);
  f.decorateRequest('consoleSession', null);
  f.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const url = route.url ?? route.path;
    const requirements = new Set<RouteRequirement>();
    for (const method of methods) {
      const requirement = requirementOf({ method, url, config: route.config });
      if (requirement === undefined) {
        throw new Error(
          `route ${method} ${url} declares no permission: add config.permission (a permission from src/access/permissions.ts, 'signed-in' or 'public')`,
        );
      }
      requirements.add(requirement);
      if (route.config?.anySandbox && requirement !== 'signed-in')
        throw new Error(
          `route ${method} ${url} is answered in any sandbox, so it may only need 'signed-in'`,
        );
      const scope = {
        ...(route.config?.sandboxParam ? { sandboxParam: route.config.sandboxParam } : {}),
        ...(route.config?.everywhere ? { everywhere: true } : {}),
        ...(route.config?.anySandbox ? { anySandbox: true } : {}),
      };
      table.push({
        method,
        url,
        access: requirement === 'public' ? 'public' : 'key',
        permission: requirement,
        ...scope,
      });
      // Operations carry it in /openapi.json: @fastify/swagger copies a schema's x- keys onto the operation.
      route.schema = { ...(route.schema ?? {}), 'x-permission': requirement } as FastifySchema;
    }
    // The route's config carries the requirement from now on, tabled or declared (the audit hook reads it there).
    if (requirements.size === 1)
      route.config = { ...(route.config ?? {}), permission: [...requirements][0]! };
  });
  f.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config;
    // Paths no route matched need a caller too (then answer 404), so probing reveals nothing.
    const requirement: RouteRequirement =
      req.routeOptions.url === undefined
        ? 'signed-in'
        : (requirementOf({ method: req.method, url: req.routeOptions.url, config }) ?? 'signed-in');
    if (requirement === 'public') return;
    const who = await identify(req, o, operators);
    if ('status' in who) return refuse(reply, who);
    const p = who.principal;
    const requested = requestSandbox(req, config?.sandboxParam);
    let sandbox = requested.name;
    if (config?.writeKey && !requested.explicit) sandbox = homeSandbox(p);
    if (config?.anySandbox) {
      if (!mayEnter(p, sandbox) || !(await o.access.sandboxes.exists(sandbox)))
        sandbox = homeSandbox(p);
      req.principal = { ...p, via: who.via, sandbox };
      req.consoleSession = who.session;
      return;
    }
    if (!requested.explicit && requirement === 'signed-in' && !mayEnter(p, sandbox)) {
      // "Who am I", "which sandboxes may I use": answered wherever the caller's grants begin.
      sandbox = homeSandbox(p);
    } else if (!mayEnter(p, sandbox)) {
      return refuse(reply, {
        status: 403,
        code: 'forbidden',
        message: `${p.actor.name} may not use sandbox "${sandbox}"`,
        details: { sandbox },
      });
    }
    // Checked after entry, so a caller learns nothing of sandboxes it may not use.
    if (
      !sandboxNameSchema.safeParse(sandbox).success ||
      !(await o.access.sandboxes.exists(sandbox))
    ) {
      return refuse(reply, {
        status: 404,
        code: 'unknown_sandbox',
        message: `there is no sandbox "${sandbox}"`,
        details: { sandbox },
      });
    }
    if (requirement !== 'signed-in') {
      const allowed = config?.everywhere
        ? canEverywhere(p, requirement)
        : can(p, sandbox, requirement);
      if (!allowed) {
        return refuse(reply, {
          status: 403,
          code: 'forbidden',
          message: `permission needed: ${requirement}`,
          details: { permission: requirement, sandbox: config?.everywhere ? '*' : sandbox },
        });
      }
    }
    req.principal = { ...p, via: who.via, sandbox };
    req.consoleSession = who.session;
  });
  return table;
}
