// A sandbox's retention settings, one per kind of data, each a number of days (1 to 3650) or null
// (kept). Stored in the sandbox's settings table; events under the key the audience runtime's
// hourly retention job already reads (eventRetentionDays).
import { validationFailed } from '../../errors.ts';
import type { RetentionTarget, Store } from '../../store/ports.ts';
import { RETENTION_KEY } from '../audiences/profile-admin.ts';

export const RETENTION_SETTING_KEYS: Readonly<Record<RetentionTarget, string>> = {
  events: RETENTION_KEY,
  messages: 'messageRetentionDays',
  deadLetters: 'deadLetterRetentionDays',
  audit: 'auditRetentionDays',
};

export type RetentionDays = Readonly<Record<RetentionTarget, number | null>>;

export const MAX_RETENTION_DAYS = 3650;

const daysOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : null;

export async function readRetention(
  store: Pick<Store, 'getSetting'>,
  sandbox: string,
): Promise<RetentionDays> {
  const [events, messages, deadLetters, audit] = await Promise.all(
    (['events', 'messages', 'deadLetters', 'audit'] as const).map(async (t) =>
      daysOf(await store.getSetting(sandbox, RETENTION_SETTING_KEYS[t])),
    ),
  );
  return {
    events: events ?? null,
    messages: messages ?? null,
    deadLetters: deadLetters ?? null,
    audit: audit ?? null,
  };
}

/** Stores the settings given (a target absent: unchanged); each checked: whole days from 1 to 3650, or null. */
export async function writeRetention(
  store: Pick<Store, 'getSetting' | 'putSetting'>,
  sandbox: string,
  next: Partial<RetentionDays>,
): Promise<RetentionDays> {
  for (const [target, days] of Object.entries(next)) {
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS))
      throw validationFailed('the retention setting is invalid', [
        {
          path: `retention.${target}`,
          message: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null (kept)`,
          received: String(days),
        },
      ]);
  }
  for (const [target, days] of Object.entries(next) as [RetentionTarget, number | null][])
    await store.putSetting(sandbox, RETENTION_SETTING_KEYS[target], days);
  return readRetention(store, sandbox);
}
