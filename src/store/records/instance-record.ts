// Instance states as stored: upgraded to the current format when read (src/journey/instance-upgrade.ts),
// here at the port; a state that cannot be read is an error saying where, what, and what came.
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { upgradeInstanceState } from '../../journey/instance-upgrade.ts';
import type { InstanceState } from '../../journey/instance.ts';

export function decodeInstanceState(stored: unknown): InstanceState {
  const r = upgradeInstanceState(stored);
  if (r.ok) return r.state;
  const id =
    typeof stored === 'object' &&
    stored !== null &&
    typeof (stored as { id?: unknown }).id === 'string'
      ? (stored as { id: string }).id
      : '?';
  const path = `instances[${JSON.stringify(id)}].state${r.path ? `.${r.path}` : ''}`;
  return fail(path, r, id);
}

function fail(
  path: string,
  r: { message: string; expected: string; received: string },
  id: string,
): never {
  throw new WaymarkError(
    ErrorCode.Internal,
    `the stored instances row "${id}" cannot be read: ${path}: ${r.message}`,
    {
      issues: [{ path, message: r.message, expected: r.expected, received: r.received }],
      details: { table: 'instances', id },
    },
  );
}
