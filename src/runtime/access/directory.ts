// The directory of people, roles and API keys (stored in the reserved `_access` space of the object store).
// STUB: replaced by its implementation (helper A2).
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type { Directory } from './contracts.ts';

export function createDirectory(_deps: { store: Store; clock: Clock }): Directory {
  return new Proxy({} as Directory, { get: (_t, p) => () => { throw new Error(`directory.${String(p)} is not implemented yet`); } });
}
