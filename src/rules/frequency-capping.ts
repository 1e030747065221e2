import type {
  ChannelRuleSet,
  CappedChannel,
  JourneyRuleSet,
  JourneyRule,
} from '../model/rule-set.ts';
import { windowAt } from './windows.ts';
import type { Window } from './windows.ts';

// Frequency capping, pure: the rule sets that apply to a message (the Global Default Rule Set and
// the one attached to the message), the profile's delivery log and `now` decide whether the
// message goes or is excluded. Only active sets count. Several channels in a rule share one
// count; when several rules are reached, the lowest cap is reported (it is the one that binds).
//
// Concurrency: the decision is only as good as the log it reads. The caller must check and record
// the send under the profile's single writer (or use `cappingCounters` with an atomic
// "increment if below cap" in the store), so concurrent sends never exceed a cap.

/** `ExcludedForControlRules` in reports. */
export const CAPPED_EXCLUSION_CODE = '050002';

export interface DeliveryLogEntry {
  readonly channel: CappedChannel;
  /** Epoch milliseconds. */
  readonly sentAt: number;
}

export type CappingDecision =
  | { readonly excluded: false }
  | {
      readonly excluded: true;
      readonly reason: 'capped';
      readonly code: typeof CAPPED_EXCLUSION_CODE;
      readonly ruleSet: string;
      readonly rule: string;
      readonly cap: number;
      readonly count: number;
      /** When the binding window ends (epoch ms): the count resets then. */
      readonly resetsAt: number;
    };

export interface CappingInput {
  readonly channel: CappedChannel;
  /** The Global Default Rule Set (if any) and the message's own rule set (if any). */
  readonly ruleSets: readonly (ChannelRuleSet | undefined)[];
  readonly log: readonly DeliveryLogEntry[];
  /** Epoch milliseconds. */
  readonly now: number;
}

export interface CappingCounter {
  readonly ruleSet: string;
  readonly rule: string;
  readonly channels: readonly CappedChannel[];
  readonly cap: number;
  readonly window: Window;
  /** A stable key for a store counter: `ruleSet/rule/windowStart`. */
  readonly key: string;
}

/** The counters a send on `channel` at `now` must respect (one per applicable rule). */
export function cappingCounters(
  channel: CappedChannel,
  ruleSets: readonly (ChannelRuleSet | undefined)[],
  now: number,
): CappingCounter[] {
  const out: CappingCounter[] = [];
  for (const set of ruleSets) {
    if (set === undefined || set.status !== 'active') continue;
    for (const rule of set.rules) {
      if (!rule.channels.includes(channel)) continue;
      const window = windowAt(rule.period, rule.every, now);
      out.push({
        ruleSet: set.name,
        rule: rule.id,
        channels: rule.channels,
        cap: rule.cap,
        window,
        key: `${set.name}/${rule.id}/${window.start}`,
      });
    }
  }
  return out;
}

function countIn(
  rule: { readonly channels: readonly CappedChannel[] },
  window: Window,
  log: readonly DeliveryLogEntry[],
): number {
  let n = 0;
  for (const e of log) {
    if (e.sentAt >= window.start && e.sentAt < window.end && rule.channels.includes(e.channel)) n++;
  }
  return n;
}

/**
 * The same decision from stored counters (`counts` keyed by `CappingCounter.key`) instead of the
 * log: a store reads the counts, decides, and increments every counter of an allowed send in one
 * transaction, so concurrent sends never pass a cap.
 */
export function decideFromCounters(
  counters: readonly CappingCounter[],
  counts: ReadonlyMap<string, number>,
): CappingDecision {
  let binding: CappingDecision | undefined;
  for (const c of counters) {
    const count = counts.get(c.key) ?? 0;
    if (count < c.cap) continue;
    if (binding === undefined || (binding.excluded && c.cap < binding.cap)) {
      binding = {
        excluded: true,
        reason: 'capped',
        code: CAPPED_EXCLUSION_CODE,
        ruleSet: c.ruleSet,
        rule: c.rule,
        cap: c.cap,
        count,
        resetsAt: c.window.end,
      };
    }
  }
  return binding ?? { excluded: false };
}

/** Decides whether one more message on `input.channel` may go now. */
export function checkFrequencyCap(input: CappingInput): CappingDecision {
  const counters = cappingCounters(input.channel, input.ruleSets, input.now);
  return decideFromCounters(
    counters,
    new Map(counters.map((c) => [c.key, countIn(c, c.window, input.log)])),
  );
}

// ---------------------------------------------------------------------------------------------
// Journey domain: entry and concurrency caps per profile.
// ---------------------------------------------------------------------------------------------

export interface JourneyCapInput {
  readonly ruleSet: JourneyRuleSet | undefined;
  /** When this profile entered journeys governed by the rule set (epoch ms). */
  readonly entries: readonly number[];
  /** How many of those journeys the profile is in right now. */
  readonly active: number;
  readonly now: number;
}

export type JourneyCapDecision =
  | { readonly excluded: false }
  | {
      readonly excluded: true;
      readonly reason: 'CAP_REACHED';
      readonly ruleSet: string;
      readonly rule: string;
      readonly kind: JourneyRule['kind'];
      readonly cap: number;
    };

export function checkJourneyCap(input: JourneyCapInput): JourneyCapDecision {
  const set = input.ruleSet;
  if (set === undefined || set.status !== 'active') return { excluded: false };
  for (const rule of set.rules) {
    switch (rule.kind) {
      case 'entry': {
        const w = windowAt(rule.period, rule.every, input.now);
        const n = input.entries.filter((t) => t >= w.start && t < w.end).length;
        if (n >= rule.cap)
          return {
            excluded: true,
            reason: 'CAP_REACHED',
            ruleSet: set.name,
            rule: rule.id,
            kind: rule.kind,
            cap: rule.cap,
          };
        break;
      }
      case 'concurrency':
        if (input.active >= rule.cap)
          return {
            excluded: true,
            reason: 'CAP_REACHED',
            ruleSet: set.name,
            rule: rule.id,
            kind: rule.kind,
            cap: rule.cap,
          };
        break;
      default: {
        const never: never = rule;
        return never;
      }
    }
  }
  return { excluded: false };
}
