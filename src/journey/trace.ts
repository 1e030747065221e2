// What happened at each step of a test run (test mode only): data the pure step function returns
// beside its effects. The runtime stores it with the step's commit and adds what only the
// dispatchers know (the custom action's request and response, the rendered message).

import type { MessageChannel } from '../model/journey.ts';

/** One path of a condition as it was evaluated: its expression and what it gave. */
export interface TracedPath {
  readonly label: string;
  readonly expression: string | null;
  /** The expression's value as JSON; absent when it was not evaluated (an earlier path matched). */
  readonly value?: unknown;
  readonly error?: string;
}

/** A custom action's request as sent, secrets redacted. */
export interface TracedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type TraceEntry =
  /** An event entered the journey or resumed the profile at `node`. */
  | {
      readonly kind: 'event';
      readonly node: string;
      readonly event: string;
      readonly payload: unknown;
      readonly entry: boolean;
    }
  | {
      readonly kind: 'condition';
      readonly node: string;
      readonly mode: 'expression' | 'split' | 'time' | 'date' | 'profileCap';
      readonly paths: readonly TracedPath[];
      readonly taken: string;
    }
  /** A wait or event timeout started: due at `dueAt`; `configured` is the duration the journey states (test mode shortens it). */
  | {
      readonly kind: 'timer';
      readonly node: string;
      readonly reason: 'wait' | 'timeout';
      readonly dueAt: number;
      readonly configured: string | null;
      readonly shortened: boolean;
    }
  | { readonly kind: 'timerFired'; readonly node: string; readonly reason: 'wait' | 'timeout' }
  | {
      readonly kind: 'actionCall';
      readonly node: string;
      readonly action: string;
      readonly callId: string;
      readonly parameters: Readonly<Record<string, unknown>>;
    }
  /** Written by the runtime once the call is done. */
  | {
      readonly kind: 'actionResult';
      readonly node: string;
      readonly action: string;
      readonly callId: string;
      readonly request: TracedRequest | null;
      readonly response: { readonly status: number; readonly body: unknown } | null;
      readonly error: { readonly code: string; readonly message: string } | null;
      readonly durationMs: number | null;
    }
  | {
      readonly kind: 'message';
      readonly node: string;
      readonly messageId: string;
      readonly channel: MessageChannel;
      readonly label: string;
    }
  /** Written by the runtime once the message is rendered and sent (or not). */
  | {
      readonly kind: 'messageResult';
      readonly node: string;
      readonly messageId: string;
      readonly channel: MessageChannel;
      readonly status: string;
      readonly reason: string | null;
      readonly recipient: string | null;
      readonly subject: string | null;
      readonly html: string | null;
      readonly text: string | null;
      readonly payload: unknown;
    }
  | { readonly kind: 'exit'; readonly reason: string }
  /** The run's state after a step (written by the runtime): where the profile is. */
  | {
      readonly kind: 'state';
      readonly status: 'active' | 'exited';
      readonly current: readonly string[];
      readonly dueAt: number | null;
    };

export type TraceKind = TraceEntry['kind'];
