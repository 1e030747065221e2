// The sandboxes that exist, with their type and settings.
// STUB: replaced by its implementation (helper B2).
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type { SandboxRegistry } from './contracts.ts';

export function createSandboxRegistry(_deps: { store: Store; clock: Clock }): SandboxRegistry {
  return new Proxy({} as SandboxRegistry, { get: (_t, p) => p === 'exists' ? async () => true : () => { throw new Error(`sandboxes.${String(p)} is not implemented yet`); } });
}
