// What a step asks the world to do. The runtime commits these with the new state (outbox) and
// dispatchers carry them out afterwards, each keyed by its id.
import type { MessageChannel } from '../model/journey.ts';

export type Effect =
  | { readonly kind: 'scheduleTimer'; readonly timerId: string; readonly dueAt: number }
  | { readonly kind: 'cancelTimer'; readonly timerId: string }
  | {
      readonly kind: 'callAction';
      readonly callId: string;
      readonly node: string;
      readonly action: string;
      readonly parameters: Readonly<Record<string, unknown>>;
      readonly timeoutMs: number;
    }
  | {
      readonly kind: 'sendMessage';
      readonly messageId: string;
      readonly node: string;
      readonly channel: MessageChannel;
      readonly label: string;
      readonly configuration: string;
      readonly ruleSet?: string;
      readonly category: 'marketing' | 'transactional';
      /** The journey context as it was when the message was sent, for rendering. */
      readonly context: {
        readonly events: Readonly<Record<string, unknown>>;
        readonly actions: Readonly<Record<string, unknown>>;
      };
    }
  /** Update profile: one attribute set, committed with the step (same unit of work). */
  | {
      readonly kind: 'updateProfile';
      readonly node: string;
      readonly profileId: string;
      /** A dot path (`loyalty.tier`). */
      readonly attribute: string;
      readonly value: unknown;
    }
  /** In-app messages this instance delivered leave the profile's inbox (it left the journey). */
  | { readonly kind: 'withdrawInApp'; readonly instanceId: string }
  /** Jump: the profile enters another journey's newest live version with this context. */
  | {
      readonly kind: 'jump';
      readonly node: string;
      readonly profileId: string;
      readonly targetJourneyId: string;
      readonly context: {
        readonly events: Readonly<Record<string, unknown>>;
        readonly actions: Readonly<Record<string, unknown>>;
      };
      /** The payload of the source's entry event: the target's entry event takes it. */
      readonly payload: unknown;
    };

export type EffectKind = Effect['kind'];

export const Metric = {
  Entered: 'entered',
  Exited: 'exited',
  Error: 'error',
  Timeout: 'timeout',
  Discarded: 'discarded',
  /** An entry refused by a journey-domain business rule. */
  Capped: 'capped',
  // Message feedback, counted on the message activity.
  Opened: 'opened',
  Clicked: 'clicked',
  Unsubscribed: 'unsubscribed',
  /** A profile took the first path of a profile cap (the count the cap is checked against). */
  ProfileCap: 'profile_cap',
  /** A profile jumped from this activity into another journey. */
  Jumped: 'jumped',
  // Dry run: what an activity would have done, counted instead of done.
  WouldSend: 'would_send',
  WouldCall: 'would_call',
  WouldUpdate: 'would_update',
  WouldJump: 'would_jump',
} as const;
/** Dry run: `path:<outcome>` counts the profiles that left an activity by each path (its report). */
export const DRY_PATH_PREFIX = 'path:';
/** `discarded:<reason>` counts the discarded entries of a journey by reason (`missing_namespace`). */
export const DISCARD_REASON_PREFIX = 'discarded:';
export type Metric =
  | (typeof Metric)[keyof typeof Metric]
  | `${typeof DRY_PATH_PREFIX}${string}`
  | `${typeof DISCARD_REASON_PREFIX}${string}`;

/** Report counters move with the state, in the same transaction. `node` is null for the journey as a whole. */
export interface CounterDelta {
  readonly node: string | null;
  readonly metric: Metric;
}
