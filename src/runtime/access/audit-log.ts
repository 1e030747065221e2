// The audit log: who changed what, when, in which sandbox.
// STUB: replaced by its implementation (helper B1).
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type { AuditLog } from './contracts.ts';

export function createAuditLog(_deps: { store: Store; clock: Clock }): AuditLog {
  return { record: async () => undefined, query: async () => ({ items: [], next: null }), purge: async () => 0 };
}
