// The durable state of one profile in one journey version. Immutable: step() returns a new one.

export const InstanceStatus = { Active: 'active', Exited: 'exited' } as const;
export type InstanceStatus = (typeof InstanceStatus)[keyof typeof InstanceStatus];

export const ExitReason = {
  Completed: 'completed',
  NoPathMatched: 'no_path_matched',
  Error: 'error',
  JourneyStopped: 'journey_stopped',
  InstanceTimeout: 'instance_timeout',
  /** One of the journey's exit criteria: its event occurred for the profile. */
  ExitCriteria: 'exit_criteria',
} as const;
export type ExitReason = (typeof ExitReason)[keyof typeof ExitReason];

/** Where an instance rests between inputs. */
export type Waiting =
  | {
      readonly kind: 'listening';
      /** Event and wait nodes standing in parallel. */
      readonly nodes: readonly string[];
      readonly since: number;
      readonly timer?: {
        readonly id: string;
        readonly dueAt: number;
        readonly node: string;
        readonly reason: 'wait' | 'timeout';
      };
    }
  | {
      readonly kind: 'action';
      readonly node: string;
      readonly callId: string;
      readonly since: number;
    }
  /** A message activity with an error path waits for the outcome of its send. */
  | {
      readonly kind: 'message';
      readonly node: string;
      readonly messageId: string;
      readonly since: number;
    };

export interface PathStep {
  readonly node: string;
  /** When the profile arrived. */
  readonly at: number;
  /** When it left, and how: the path it took, or why it stopped there. */
  readonly left?: number;
  readonly outcome?: string;
}

export interface InstanceContext {
  /** The latest payload of each event type the instance received, by event name. */
  readonly events: Readonly<Record<string, unknown>>;
  /** The latest response of each custom action, by action name. */
  readonly actions: Readonly<Record<string, unknown>>;
}

export interface InstanceError {
  readonly node: string;
  readonly nodeKind: string;
  readonly code: string;
  readonly message: string;
  readonly at: number;
}

/** The format of stored instance states written now (see instance-upgrade.ts for the formats before). */
export const INSTANCE_STATE_VERSION = 2;

export interface InstanceState {
  /** The format version the state is written in; a stored state of an older format is upgraded when read (upgradeInstanceState). */
  readonly v: typeof INSTANCE_STATE_VERSION;
  readonly id: string;
  readonly journeyId: string;
  readonly version: number;
  readonly profileId: string;
  readonly status: InstanceStatus;
  readonly waiting: Waiting | null;
  readonly context: InstanceContext;
  readonly path: readonly PathStep[];
  readonly enteredAt: number;
  readonly exitedAt?: number;
  readonly exitReason?: ExitReason;
  readonly lastError?: InstanceError;
  /** Counts the effects issued so far; effect ids derive from it, so replays produce the same ids. */
  readonly seq: number;
}

export const globalTimerId = (instanceId: string): string => `${instanceId}:lifetime`;
