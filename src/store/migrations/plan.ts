// What migrating a store means, the same for both stores: the schema version it is at (the number of
// migrations applied) and the Waymark version that last wrote it, the migrations still to apply, the
// stored records still in an earlier format, and the refusal of a store a newer Waymark wrote.
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { INSTANCE_STATE_VERSION } from '../../journey/instance.ts';
import { OUTBOX_FORMAT, TIMER_FORMAT } from '../records/index.ts';
import { describeMigration } from './describe.ts';

export type StoreKind = 'sqlite' | 'postgres';

/**
 * The stored-record formats this binary writes, as waymark_meta's `record_formats` records them once
 * every row is in them: a start that finds them skips looking for older rows (a scan of the outbox
 * and instances tables), so it stays fast on a large store.
 */
export const RECORD_FORMATS = `timers ${TIMER_FORMAT}, outbox ${OUTBOX_FORMAT}, instances ${INSTANCE_STATE_VERSION}`;

/** A store's version as recorded in it: null waymarkVersion when no Waymark recorded one (before 0.1.0 kept waymark_meta). */
export interface StoreVersion {
  readonly schema: number;
  readonly waymarkVersion: string | null;
}

export interface PendingMigration {
  /** 1-based: the schema version the store is at once it ran. */
  readonly number: number;
  readonly description: string;
}

/** Stored records written in an earlier format (readable as they are; rewritten in the current format by migrate). */
export interface RecordUpgrade {
  readonly table: 'timers' | 'outbox' | 'instances';
  readonly from: string;
  readonly to: string;
  readonly rows: number;
}

export interface MigrationPlan {
  readonly store: StoreKind;
  /** Where: the data folder's file, or the PostgreSQL schema. */
  readonly where: string;
  /** False when the store does not exist yet (a first start creates it). */
  readonly exists: boolean;
  readonly current: StoreVersion;
  readonly target: { readonly schema: number; readonly waymarkVersion: string };
  readonly pending: readonly PendingMigration[];
  readonly recordUpgrades: readonly RecordUpgrade[];
}

/** What a migration did: the plan it carried out. */
export interface MigrationOutcome {
  readonly plan: MigrationPlan;
  readonly applied: readonly PendingMigration[];
  readonly recordsRewritten: number;
}

export function pendingMigrations(
  migrations: readonly string[],
  current: number,
): PendingMigration[] {
  const out: PendingMigration[] = [];
  for (let v = current; v < migrations.length; v++)
    out.push({ number: v + 1, description: describeMigration(migrations[v]!) });
  return out;
}

/** Semantic versions compared by major, minor, patch; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (s: string): [number[], string] => {
    const [core = '', pre = ''] = s.trim().replace(/^v/, '').split('-', 2);
    return [core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre];
  };
  const [ca, pa] = parse(a);
  const [cb, pb] = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa === pb) return 0;
  if (pa === '') return 1;
  if (pb === '') return -1;
  return pa < pb ? -1 : 1;
}

/** A store a newer Waymark wrote (a newer schema, or a newer version recorded): this binary must not touch it. */
export class StoreTooNewError extends WaymarkError {
  constructor(
    readonly store: StoreKind,
    readonly where: string,
    readonly found: StoreVersion,
    readonly known: { readonly schema: number; readonly waymarkVersion: string },
  ) {
    const what =
      store === 'sqlite' ? `this data folder (${where})` : `the PostgreSQL schema "${where}"`;
    const by =
      found.waymarkVersion === null
        ? `a newer Waymark (schema ${found.schema})`
        : `Waymark ${found.waymarkVersion} (schema ${found.schema})`;
    super(
      ErrorCode.Internal,
      `${what} was written by ${by}; this is Waymark ${known.waymarkVersion} (schema ${known.schema}): upgrade Waymark, or restore a backup taken with ${known.waymarkVersion}`,
      {
        details: {
          store,
          where,
          storeSchema: found.schema,
          storeWaymarkVersion: found.waymarkVersion,
          schema: known.schema,
          waymarkVersion: known.waymarkVersion,
        },
      },
    );
    this.name = 'StoreTooNewError';
  }
}

/** Throws StoreTooNewError when the store is ahead of this binary in schema or in Waymark version. */
export function refuseNewer(
  store: StoreKind,
  where: string,
  found: StoreVersion,
  schemaKnown: number,
  version: string = VERSION,
): void {
  const newerSchema = found.schema > schemaKnown;
  const newerWaymark =
    found.waymarkVersion !== null && compareVersions(found.waymarkVersion, version) > 0;
  if (newerSchema || newerWaymark)
    throw new StoreTooNewError(store, where, found, {
      schema: schemaKnown,
      waymarkVersion: version,
    });
}

/** The plan as lines for a terminal (`waymark migrate`, the start-up log). */
export function describePlan(plan: MigrationPlan): string[] {
  const at = plan.exists
    ? `schema ${plan.current.schema}${plan.current.waymarkVersion ? `, last written by Waymark ${plan.current.waymarkVersion}` : ', no Waymark version recorded'}`
    : 'not created yet';
  const lines = [
    `${plan.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} store ${plan.where}: ${at}; this is Waymark ${plan.target.waymarkVersion} (schema ${plan.target.schema})`,
  ];
  for (const m of plan.pending) lines.push(`  migration ${m.number}: ${m.description}`);
  for (const r of plan.recordUpgrades)
    lines.push(
      `  records: ${r.rows} ${r.table} row${r.rows === 1 ? '' : 's'} from ${r.from} to ${r.to}`,
    );
  if (plan.pending.length === 0 && plan.recordUpgrades.length === 0) lines.push('  up to date');
  return lines;
}

/** One line saying what a start migrated, or null when there was nothing to migrate (up to date, or a new store). */
export function describeMigrationDone(m: MigrationOutcome | null): string | null {
  if (m === null || (m.applied.length === 0 && m.recordsRewritten === 0)) return null;
  const { plan } = m;
  if (!plan.exists) return null;
  const name = plan.store === 'sqlite' ? 'SQLite store' : `PostgreSQL schema ${plan.where}`;
  const from = plan.current.waymarkVersion
    ? ` (last written by Waymark ${plan.current.waymarkVersion})`
    : '';
  const records = m.recordsRewritten
    ? `; ${m.recordsRewritten} stored record${m.recordsRewritten === 1 ? '' : 's'} rewritten in the current format`
    : '';
  return `migrated the ${name}${from} from schema ${plan.current.schema} to ${plan.target.schema}: migration${m.applied.length === 1 ? '' : 's'} ${m.applied.map((a) => a.number).join(', ') || 'none'}${records}`;
}
