// Timers as stored: each kind of timer with its own fields and a format version `v`, decoded from
// its row here, at the port, and never taken apart by string prefix afterwards.
//   instance: a journey instance's timer (wait, event timeout, lifetime); `id` is the step's timerId.
//   audience: a profile's next audience window change (streaming audiences).
//   job:      the next firing of an audience job (read-audience run, batch schedule, retention).
// The kind-specific part (`TimerRecord`) is kept as JSON in the `record` column; rows written before
// it existed have none and are read by the rule they were written with (`audience:` and
// `job:<sandbox>:` prefixed instance ids), see `decodeTimer`.
import { z } from 'zod';
import { badStoredField, undecodable } from './decode-error.ts';

/** The format version of timer records written now. */
export const TIMER_FORMAT = 1;

interface TimerBase {
  /** The row's key: unique across the store (ids below say how each kind builds it). */
  readonly id: string;
  readonly sandbox: string;
  /** Epoch ms. */
  readonly dueAt: number;
  readonly v: typeof TIMER_FORMAT;
}

export interface InstanceTimer extends TimerBase {
  readonly kind: 'instance';
  readonly instanceId: string;
}
export interface AudienceTimer extends TimerBase {
  readonly kind: 'audience';
  readonly profileId: string;
}
export interface JobTimer extends TimerBase {
  readonly kind: 'job';
  readonly jobId: string;
  /** A job's share of one partition (fleet mode): fired by that partition's owner; else the id's hash says. */
  readonly partition?: number;
}

export type TimerRow = InstanceTimer | AudienceTimer | JobTimer;
export type TimerKind = TimerRow['kind'];

const instanceRecord = z.object({
  kind: z.literal('instance'),
  v: z.literal(TIMER_FORMAT),
  instanceId: z.string().min(1),
});
const audienceRecord = z.object({
  kind: z.literal('audience'),
  v: z.literal(TIMER_FORMAT),
  profileId: z.string().min(1),
});
const jobRecord = z.object({
  kind: z.literal('job'),
  v: z.literal(TIMER_FORMAT),
  jobId: z.string().min(1),
  partition: z.number().int().min(0).max(255).optional(),
});
/** What the `record` column holds. */
export const timerRecordSchema = z.discriminatedUnion('kind', [
  instanceRecord,
  audienceRecord,
  jobRecord,
]);
export type TimerRecord = z.infer<typeof timerRecordSchema>;

/** The id of a profile's audience-window timer (stores match it in SQL when a profile is merged or erased). */
export const audienceTimerId = (profileId: string): string => `audience:${profileId}`;
/** The id of an audience job's timer. */
export const jobTimerId = (sandbox: string, jobId: string): string => `job:${sandbox}:${jobId}`;

export const instanceTimer = (
  id: string,
  sandbox: string,
  instanceId: string,
  dueAt: number,
): InstanceTimer => ({ id, sandbox, dueAt, kind: 'instance', v: TIMER_FORMAT, instanceId });
export const audienceTimer = (
  sandbox: string,
  profileId: string,
  dueAt: number,
): AudienceTimer => ({
  id: audienceTimerId(profileId),
  sandbox,
  dueAt,
  kind: 'audience',
  v: TIMER_FORMAT,
  profileId,
});
export const jobTimer = (
  sandbox: string,
  jobId: string,
  dueAt: number,
  partition?: number,
): JobTimer => ({
  id: jobTimerId(sandbox, jobId),
  sandbox,
  dueAt,
  kind: 'job',
  v: TIMER_FORMAT,
  jobId,
  ...(partition === undefined ? {} : { partition }),
});

/** The row's columns besides id, sandbox and due_at: `instance_id` as before (instance timers are deleted with their instance by it), and the record. */
export function encodeTimer(t: TimerRow): {
  readonly instanceId: string;
  readonly record: TimerRecord;
} {
  switch (t.kind) {
    case 'instance':
      return {
        instanceId: t.instanceId,
        record: { kind: 'instance', v: t.v, instanceId: t.instanceId },
      };
    case 'audience':
      return { instanceId: t.id, record: { kind: 'audience', v: t.v, profileId: t.profileId } };
    case 'job':
      return {
        instanceId: t.id,
        record:
          t.partition === undefined
            ? { kind: 'job', v: t.v, jobId: t.jobId }
            : { kind: 'job', v: t.v, jobId: t.jobId, partition: t.partition },
      };
    default: {
      const never: never = t;
      throw new Error(`unknown timer kind ${JSON.stringify(never)}`);
    }
  }
}

/** A timer row as the tables hold it: `record` is null for rows written before records were kept. */
export interface StoredTimer {
  readonly id: string;
  readonly sandbox: string;
  readonly instanceId: string;
  readonly dueAt: number;
  readonly record: unknown;
}

/**
 * Decodes a stored timer. Rows without a record (format 0) were told apart by their instance id:
 * `audience:<profile>` for audience windows, `job:<sandbox>:<job>` for jobs, anything else an
 * instance's. Anything that does not decode throws (a WaymarkError saying where, what, and what came).
 */
export function decodeTimer(row: StoredTimer): TimerRow {
  // Object literals, not spreads: this runs for every due timer, and a spread costs microseconds.
  const { id, sandbox, dueAt } = row;
  if (row.record === null || row.record === undefined) {
    if (typeof row.instanceId !== 'string' || row.instanceId === '')
      throw badStoredField(
        'timers',
        id,
        'instance_id',
        'a timer without a record needs an instance id',
        'a non-empty string',
        row.instanceId,
      );
    if (row.instanceId.startsWith('audience:')) {
      const profileId = row.instanceId.slice('audience:'.length);
      if (profileId === '')
        throw badStoredField(
          'timers',
          id,
          'instance_id',
          'an audience timer names its profile',
          '"audience:<profile id>"',
          row.instanceId,
        );
      return { id, sandbox, dueAt, kind: 'audience', v: TIMER_FORMAT, profileId };
    }
    const job = `job:${sandbox}:`;
    if (row.instanceId.startsWith(job))
      return {
        id,
        sandbox,
        dueAt,
        kind: 'job',
        v: TIMER_FORMAT,
        jobId: row.instanceId.slice(job.length),
      };
    return { id, sandbox, dueAt, kind: 'instance', v: TIMER_FORMAT, instanceId: row.instanceId };
  }
  const parsed = timerRecordSchema.safeParse(row.record);
  if (!parsed.success) throw undecodable('timers', id, 'record', parsed.error, row.record);
  const r = parsed.data;
  switch (r.kind) {
    case 'instance':
      return { id, sandbox, dueAt, kind: 'instance', v: r.v, instanceId: r.instanceId };
    case 'audience':
      return { id, sandbox, dueAt, kind: 'audience', v: r.v, profileId: r.profileId };
    case 'job':
      return r.partition === undefined
        ? { id, sandbox, dueAt, kind: 'job', v: r.v, jobId: r.jobId }
        : { id, sandbox, dueAt, kind: 'job', v: r.v, jobId: r.jobId, partition: r.partition };
    default: {
      const never: never = r;
      throw new Error(`unknown timer kind ${JSON.stringify(never)}`);
    }
  }
}
