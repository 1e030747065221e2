// The caller of a request, as the access check (access.ts) resolved it: who, with which grants,
// how they came (API key or console session), and the request's sandbox.
import type { FastifyRequest } from 'fastify';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { Principal } from '../access/policy.ts';

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
