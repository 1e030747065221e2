// A dry run ends by itself 14 days after it started, as AJO's does: a job of the audience runtime
// (timer kind `job`, src/runtime/audiences/runtime.ts) fires at the version's start + 14 days on
// the engine's clock, makes the profiles still in it leave (in the timer's unit of work, a page at
// a time) and puts the version back to draft. Its counters stay: the dry-run report is kept and
// says when it ended automatically (a sandbox setting per journey), until the draft runs again
// (a dry run, test mode) or is published.
import { JourneyStatus, type JourneyVersion } from '../model/journey.ts';
import type { Store } from '../store/ports.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { EndDryRun } from './audiences/runtime.ts';
import type { AuditLog } from './access/contracts.ts';
import { SYSTEM_ACTOR } from '../access/policy.ts';

export const DRY_RUN_DAYS = 14;
export const DRY_RUN_MS = DRY_RUN_DAYS * 86_400_000;

/** When a version in dry run ends by itself: its start (the status change, its `updatedAt`) + 14 days. */
export const dryRunEndsAt = (v: Pick<JourneyVersion, 'updatedAt'>): number =>
  Date.parse(v.updatedAt) + DRY_RUN_MS;

/** A dry run that ended by itself, its report kept (the setting `dryRunEnded:<journey>`). */
export interface EndedDryRun {
  readonly version: number;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly automatically: true;
}

const endedKey = (journeyId: string): string => `dryRunEnded:${journeyId}`;

/** The journey's dry run that ended by itself and whose report is kept; null when none is. */
export async function endedDryRun(
  store: Pick<Store, 'getSetting'>,
  sandbox: string,
  journeyId: string,
): Promise<EndedDryRun | null> {
  const v = (await store.getSetting(sandbox, endedKey(journeyId))) as EndedDryRun | null;
  return v && typeof v === 'object' && typeof v.version === 'number' ? v : null;
}

/** Forgets the kept report of an ended dry run (its counters are purged by the caller). */
export async function forgetEndedDryRun(
  store: Pick<Store, 'putSetting'>,
  sandbox: string,
  journeyId: string,
): Promise<void> {
  await store.putSetting(sandbox, endedKey(journeyId), null);
}

/** Profiles a firing makes leave at most; the job comes back at once for the rest. */
const PAGE = 1000;

/**
 * Ends a version's dry run when its job fires: "done" when it is over (or was already: stopped by
 * hand, deleted), "again" while profiles are still leaving (the job fires again at once). The
 * version goes back to draft only once no profile is left in it, so a crash between the two leaves
 * nothing half done. In fleet mode each partition's share makes that partition's profiles leave
 * (its commit stays within the partition its engine holds) and "wait"s for the other shares before
 * the version goes back to draft.
 */
export function dryRunEnder(
  rt: Pick<RuntimeParts, 'engine' | 'store' | 'catalogs'>,
  /** Where the end is audited, as the dry-run route audits a start or stop by hand. */
  audit?: () => AuditLog,
): EndDryRun {
  return async (uow, sandbox, journeyId, version, partition) => {
    const v = (await rt.store.getJourneyVersions(sandbox, journeyId)).find(
      (x) => x.version === version,
    );
    if (!v || v.status !== JourneyStatus.DryRun) return 'done';
    if ((await rt.engine.stopActiveIn(uow, sandbox, journeyId, version, PAGE, partition)) > 0)
      return 'again';
    if (
      partition !== undefined &&
      (await rt.store.activeInstancesOfVersion(sandbox, journeyId, version, 1)).length > 0
    )
      return 'wait';
    const at = new Date(uow.now).toISOString();
    const next: JourneyVersion = {
      ...v,
      status: JourneyStatus.Draft,
      updatedAt: at,
      revision: (v.revision ?? 1) + 1,
    };
    const ended: EndedDryRun = {
      version,
      startedAt: v.updatedAt,
      endedAt: at,
      automatically: true,
    };
    // Changed meanwhile (stopped by hand, or by another share): that change stands. The kept
    // report's note goes with the version's change, in one transaction.
    const replaced = await rt.store.replaceJourneyVersionIfRevision(
      sandbox,
      next,
      v.revision ?? 1,
      {
        key: endedKey(journeyId),
        value: ended,
      },
    );
    if (!replaced) return 'done';
    rt.catalogs.invalidate(sandbox);
    await audit?.().record({
      sandbox,
      actor: SYSTEM_ACTOR,
      action: 'journey.dry-run',
      object: { kind: 'journey', key: journeyId, name: v.definition.name },
      details: { enabled: false, version, startedAt: ended.startedAt, automatically: true },
    });
    return 'done';
  };
}
