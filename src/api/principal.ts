// The caller of a request, as the access check (access.ts) resolved it: who, with which grants,
// how they came (API key or console session), and the request's sandbox.
import type { FastifyRequest } from 'fastify';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { Principal } from '../access/policy.ts';
import type { ApiKey } from './auth.ts';

export interface RequestPrincipal extends Principal {
  readonly via: 'key' | 'session';
  readonly sandbox: string;
}

/** The principal of a request that passed the access check (every non-public route). */
export function principalOf(req: FastifyRequest): RequestPrincipal {
  const p = req.principal;
  if (!p) throw new WaymarkError(ErrorCode.Unauthorized, 'this route needs a signed-in caller');
  return p;
}

/**
 * What a console session stands for; the principal is resolved again from it on every request, so
 * a revoked key, a disabled user, a changed role or "sign out everywhere" holds at once.
 */
export type SessionRef =
  | { readonly kind: 'user'; readonly userId: string; readonly epoch: number }
  | { readonly kind: 'key'; readonly keyId: string }
  | { readonly kind: 'operator'; readonly key: ApiKey };
