// STUB: the audit hook, written by helper B1: one audit entry for every change the API answers with success.
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../runtime/app.ts';

export function registerAuditHook(f: FastifyInstance, _app: Waymark): void {
  f.decorateRequest('auditNote', null);
}
