// Ports the engine's dispatchers call. Adapters live in src/channels; the server wires them.
import type { ActionResult } from '../journey/index.ts';
import type { InstanceState } from '../journey/instance.ts';
import type { Effect } from '../journey/effects.ts';
import type { CustomAction } from '../model/custom-action.ts';
import type { Profile } from '../model/profile.ts';
import type { MessageRecord } from '../store/ports.ts';
import type { SandboxCatalog } from './catalog.ts';

export interface ActionInvocation {
  readonly sandbox: string;
  readonly action: CustomAction;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /** Stable across retries of the same call: sent as Idempotency-Key. */
  readonly idempotencyKey: string;
}

export type ActionInvoker = (call: ActionInvocation) => Promise<ActionResult>;

export interface MessageRequest {
  readonly sandbox: string;
  readonly catalog: SandboxCatalog;
  readonly effect: Extract<Effect, { kind: 'sendMessage' }>;
  readonly instance: InstanceState;
  readonly profile: Profile | null;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  readonly now: number;
}

/**
 * Renders and delivers one message, returning its log record. Throwing a retryable WaymarkError
 * leaves it in the outbox for a later attempt.
 */
export type MessageSender = (req: MessageRequest) => Promise<MessageRecord>;

/** Realized audience memberships of a profile, by audience name. */
export type MembershipReader = (
  sandbox: string,
  profile: Profile | null,
) => Promise<Readonly<Record<string, 'realized' | 'exited'>>>;
