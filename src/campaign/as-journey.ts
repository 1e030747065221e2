// A campaign runs as journeys the engine already knows how to run: each run (and, with an
// experiment, each treatment of a run) is a one-message read-audience journey version, so reading
// the audience at a rate, entering each profile once (crash-safe, the read's cursor committed with
// the entries), consent, capping, suppression, rendering, the outbox, feedback and the delivery
// log are the journeys' own. These versions live in the catalog only (journey id
// `campaign:<id>`), never in the journey list. Pure.
import { kindOfChannel, type JourneyDefinition, type MessageNode } from '../model/journey.ts';
import type { CampaignDefinition } from '../model/campaign.ts';
import { runWindow } from './profile-time.ts';

export const CAMPAIGN_JOURNEY_PREFIX = 'campaign:';
export const campaignJourneyId = (campaignId: string): string =>
  `${CAMPAIGN_JOURNEY_PREFIX}${campaignId}`;
export const campaignIdOf = (journeyId: string | null): string | null =>
  journeyId?.startsWith(CAMPAIGN_JOURNEY_PREFIX)
    ? journeyId.slice(CAMPAIGN_JOURNEY_PREFIX.length)
    : null;

/** The message activity's id in every campaign journey. */
export const MESSAGE_NODE = 'message';
/**
 * A campaign sent in each profile's time zone starts with this wait: its end is the profile's
 * local run time, given at entry (read-audience.ts, src/campaign/profile-time.ts); the wait's own
 * expression (the run's time in the campaign's zone) only stands in where none is given.
 */
export const LOCAL_TIME_NODE = 'local-time';

/** Whether a campaign's runs are timed in each profile's zone. */
export const timedPerProfile = (def: CampaignDefinition): boolean =>
  def.type === 'scheduled' && def.useProfileTimeZone;

/** When a run's audience is read: at the run's time, or when it first comes somewhere (UTC+14:00). */
export const readStartOf = (def: CampaignDefinition, runAt: number): number =>
  timedPerProfile(def) ? runWindow(runAt, def.timeZone).from : runAt;
/**
 * The audience an API-triggered campaign's journey names: recipients come from the call, never
 * from a read, so no job reads it (it only lets the journey compile).
 */
export const TRIGGER_AUDIENCE = 'campaign-recipients';
/** Where a trigger call's context travels in the send's journey context (rendered as {{context.…}}). */
export const TRIGGER_CONTEXT_KEY = 'campaign.context';

/** Arm 0 is the campaign's own content; 1-5 the experiment's treatments in order; 9 the winner sent to the rest. */
export const WINNER_ARM = 9;
/** A version per run and arm: run 1 arm 0 is version 10. */
export const versionOf = (run: number, arm: number): number => run * 10 + arm;
export const runOfVersion = (version: number): { run: number; arm: number } => ({
  run: Math.floor(version / 10),
  arm: version % 10,
});

/** The content an arm sends. */
export function armContent(def: CampaignDefinition, arm: number): Record<string, unknown> {
  if (arm === 0 || !def.experiment) return def.action.content;
  return def.experiment.treatments[arm - 1]?.content ?? def.action.content;
}

/**
 * The journey of one run's arm. `at` is the run's start (ms); `ratePerSecond` the arm's share of
 * the throttle. Messages of transactional campaigns are transactional (no consent, no capping).
 */
export function campaignJourney(
  def: CampaignDefinition,
  opts: {
    readonly at: number;
    readonly arm: number;
    readonly ratePerSecond: number;
    readonly content?: Record<string, unknown>;
  },
): JourneyDefinition {
  const message: MessageNode = {
    id: MESSAGE_NODE,
    kind: kindOfChannel(def.action.channel),
    label: def.name,
    configuration: def.action.configuration,
    content: opts.content ?? armContent(def, opts.arm),
    ...(def.mode === 'marketing' && def.action.ruleSet ? { ruleSet: def.action.ruleSet } : {}),
    category: def.mode,
    next: ['end'],
  };
  const audience =
    def.type === 'scheduled' && def.audience
      ? { audience: def.audience.audience, namespace: def.audience.namespace }
      : { audience: TRIGGER_AUDIENCE, namespace: def.namespace ?? 'Email' };
  return {
    name: def.name,
    entry: {
      type: 'readAudience',
      ...audience,
      ratePerSecond: opts.ratePerSecond,
      incremental: false,
      forceReentranceOnRecurrence: false,
      schedule: { kind: 'once', at: isoOf(readStartOf(def, opts.at)) },
    },
    // Entering the same campaign's next run is allowed at once: each run is a version of its own.
    reentrance: { allowed: true, waitSeconds: 0 },
    timeZone: def.timeZone,
    testMode: { waitSeconds: 10 },
    actionTimeoutSeconds: 30,
    ...(timedPerProfile(def)
      ? {
          start: LOCAL_TIME_NODE,
          nodes: [
            {
              id: LOCAL_TIME_NODE,
              kind: 'wait',
              label: "Profile's local time",
              until: `toDateTime("${isoOf(opts.at)}")`,
              next: [MESSAGE_NODE],
            },
            message,
            { id: 'end', kind: 'end' },
          ],
        }
      : { start: MESSAGE_NODE, nodes: [message, { id: 'end', kind: 'end' }] }),
    ...(def.labels ? { labels: def.labels } : {}),
  };
}

/** An ISO-8601 instant of `ms` (a value given, not the clock read). */
function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** The throttle's rate split over the arms that read (each reads the whole audience, sends to its share). */
export function armRate(ratePerSecond: number | undefined, share: number): number {
  const rate = ratePerSecond ?? 5000;
  return Math.max(1, Math.round(rate * share));
}
