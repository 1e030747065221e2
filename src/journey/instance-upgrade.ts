// Stored instance states across format versions. A state carries the format it was written in
// (`v`); one read from the store is brought to the current format here, before anything steps it.
//   1: states stored before the format was versioned: no `v`, otherwise the fields of format 2.
//   2: `v` written with every state (the current format).
// A change to InstanceState that stored states cannot simply be read as is adds a format here,
// with its upgrade from the one before, and golden fixtures of it (test/fixtures/instance-states).
import { INSTANCE_STATE_VERSION, type InstanceState } from './instance.ts';

export type UpgradeResult =
  | { readonly ok: true; readonly state: InstanceState; readonly from: number }
  /** `path`: where in the stored state; `expected` and `received`: what should have been there and what was. */
  | {
      readonly ok: false;
      readonly path: string;
      readonly message: string;
      readonly expected: string;
      readonly received: string;
    };

const show = (v: unknown): string =>
  v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v)).slice(0, 120);
const fail = (
  path: string,
  message: string,
  expected: string,
  received: unknown,
): UpgradeResult => ({ ok: false, path, message, expected, received: show(received) });

/** Checks the fields every format has (cheap: read on every route of an event) and brings the state to the current format. */
export function upgradeInstanceState(stored: unknown): UpgradeResult {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored))
    return fail('', 'an instance state is an object', 'an object', stored);
  const s = stored as Record<string, unknown>;
  const v = s['v'] === undefined ? 1 : s['v'];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > INSTANCE_STATE_VERSION) {
    return fail(
      'v',
      'an instance state format this version of Waymark does not know',
      `1 to ${INSTANCE_STATE_VERSION}`,
      s['v'],
    );
  }
  for (const key of ['id', 'journeyId', 'profileId'] as const)
    if (typeof s[key] !== 'string') return fail(key, `the instance's ${key}`, 'a string', s[key]);
  for (const key of ['version', 'seq', 'enteredAt'] as const)
    if (typeof s[key] !== 'number') return fail(key, `the instance's ${key}`, 'a number', s[key]);
  if (s['status'] !== 'active' && s['status'] !== 'exited')
    return fail('status', 'the instance status', '"active" or "exited"', s['status']);
  if (!Array.isArray(s['path']))
    return fail('path', 'the nodes the instance went through', 'an array', s['path']);
  const ctx = s['context'] as { events?: unknown; actions?: unknown } | null | undefined;
  if (
    typeof ctx !== 'object' ||
    ctx === null ||
    typeof ctx.events !== 'object' ||
    typeof ctx.actions !== 'object'
  )
    return fail('context', 'the instance context', '{ events, actions }', ctx);
  if (s['waiting'] !== null && (typeof s['waiting'] !== 'object' || Array.isArray(s['waiting'])))
    return fail('waiting', 'where the instance waits', 'an object or null', s['waiting']);
  // Format 1 to 2: the version is written; nothing else changed.
  const state = (v === INSTANCE_STATE_VERSION
    ? s
    : Object.assign({}, s, { v: INSTANCE_STATE_VERSION })) as unknown as InstanceState;
  return { ok: true, state, from: v };
}
