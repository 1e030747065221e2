// The journey versions the sandbox's active campaigns run as (src/campaign/as-journey.ts), compiled
// into the catalog beside the journeys': the outbox finds their message activity there, and the
// read-audience runner reads each scheduled run's audience. A stopped campaign has none, so a run
// in progress ends at its next step and later runs never start.
import {
  armRate,
  campaignJourney,
  campaignJourneyId,
  timedPerProfile,
  TRIGGER_AUDIENCE,
  versionOf,
  WINNER_ARM,
} from '../../campaign/as-journey.ts';
import { sendInstants } from '../../campaign/profile-time.ts';
import { compileJourney, type CompiledJourney, type JourneyCatalog } from '../../journey/index.ts';
import type { JourneyVersion } from '../../model/journey.ts';
import type { StoredCampaign } from './stored.ts';

/** What the read-audience runner applies to a campaign run's read, besides the journey's entry. */
export interface CampaignRead {
  /** With an experiment: whether a member (by its identity in the namespace) belongs to this arm. */
  readonly admits?: (identity: string) => boolean;
  /** The throttle's cap: at most this many profiles enter the run. */
  readonly maxEntries?: number;
  /**
   * Timed in each profile's zone: the instant a profile (by its attributes) is due, and the rate
   * at which the profiles due at one instant go out (src/campaign/profile-time.ts).
   */
  readonly localTime?: {
    readonly dueAt: (profile: unknown) => number;
    readonly ratePerSecond: number;
  };
}

/** Assigns an identity to a treatment id (null: held out); given by the experiment wiring. */
export type Assign = (def: StoredCampaign, identity: string) => string | null;

/** A run whose winner is still to be decided and sent to the rest (a job at `at`, winner.ts). */
export interface PendingWinner {
  readonly campaignId: string;
  readonly run: number;
  readonly at: number;
}

export interface CampaignCatalogEntries {
  readonly versions: Array<{ version: JourneyVersion; compiled: CompiledJourney }>;
  readonly readJourneys: CompiledJourney[];
  readonly reads: Map<string, CampaignRead>;
  readonly pendingWinners: PendingWinner[];
}

export function campaignEntries(
  campaigns: readonly StoredCampaign[],
  catalog: JourneyCatalog,
  assign: Assign,
): CampaignCatalogEntries {
  const out: CampaignCatalogEntries = {
    versions: [],
    readJourneys: [],
    reads: new Map(),
    pendingWinners: [],
  };
  for (const c of campaigns) {
    // A stopped campaign keeps its versions (messages already queued render from them), not its reads.
    if (c.state !== 'active' && c.state !== 'stopped') continue;
    const def = c.definition;
    const journeyId = campaignJourneyId(c.id);
    const triggered = def.type === 'api-triggered';
    const compileCatalog: JourneyCatalog = triggered
      ? { ...catalog, audiences: [...(catalog.audiences ?? []), TRIGGER_AUDIENCE] }
      : catalog;
    const arms = def.experiment
      ? def.experiment.treatments.map((t, i) => ({ arm: i + 1, id: t.id, share: t.percent / 100 }))
      : [{ arm: 0, id: null, share: 1 }];
    const runs = triggered ? [c.activatedAt ? Date.parse(c.activatedAt) : 0] : c.runs;
    const holdout = (def.experiment?.holdoutPercent ?? 0) / 100;
    for (const [i, at] of runs.entries()) {
      const run = i + 1;
      const legs: Array<{ arm: number; id: string | null; share: number; at: number }> = arms.map(
        (a) => ({ ...a, share: a.share * (1 - holdout), at }),
      );
      const decided = c.winners.find((w) => w.run === run);
      const winner = def.experiment?.winner;
      if (decided && def.experiment)
        legs.push({ arm: WINNER_ARM, id: null, share: holdout, at: decided.at });
      else if (winner?.kind === 'sendWinnerToRest' && !triggered && c.state === 'active')
        out.pendingWinners.push({
          campaignId: c.id,
          run,
          at: at + winner.afterHours * 3_600_000,
        });
      for (const leg of legs) {
        const winnerContent =
          leg.arm === WINNER_ARM
            ? def.experiment?.treatments.find((t) => t.id === decided?.treatment)?.content
            : undefined;
        const definition = campaignJourney(def, {
          at: leg.at,
          arm: leg.arm,
          ratePerSecond: armRate(def.throttle.ratePerSecond, leg.share),
          ...(winnerContent ? { content: winnerContent } : {}),
        });
        const version = versionOf(run, leg.arm);
        const r = compileJourney(journeyId, version, definition, compileCatalog);
        if (!r.ok) continue;
        out.versions.push({
          version: {
            journeyId,
            version,
            status: 'live',
            definition,
            createdAt: c.createdAt,
            updatedAt: c.updatedAt,
          },
          compiled: r.journey,
        });
        if (triggered || c.state !== 'active') continue;
        out.readJourneys.push(r.journey);
        const armId = leg.id;
        const admits =
          leg.arm === WINNER_ARM
            ? (identity: string) => assign(c, identity) === null
            : armId !== null
              ? (identity: string) => assign(c, identity) === armId
              : undefined;
        const maxEntries =
          def.throttle.maxMessages === undefined
            ? undefined
            : Math.max(0, Math.round(def.throttle.maxMessages * leg.share));
        const localTime = timedPerProfile(def)
          ? {
              dueAt: sendInstants(leg.at, def.timeZone),
              ratePerSecond:
                definition.entry.type === 'readAudience' ? definition.entry.ratePerSecond : 1,
            }
          : undefined;
        out.reads.set(`${journeyId}:${version}`, {
          ...(admits ? { admits } : {}),
          ...(maxEntries !== undefined ? { maxEntries } : {}),
          ...(localTime ? { localTime } : {}),
        });
      }
    }
  }
  return out;
}
