// A budget per answer: tool calls, model tokens and time. Spending past it ends the answer with
// what is known so far. Pure (the clock is passed in).

export interface BudgetLimits {
  readonly toolCalls: number;
  readonly tokens: number;
  readonly ms: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { toolCalls: 6, tokens: 12_000, ms: 30_000 };

export type BudgetState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'exhausted'; readonly by: 'tool-calls' | 'tokens' | 'time' };

export class Budget {
  private toolCalls = 0;
  private tokens = 0;
  private readonly startedAt: number;

  constructor(
    readonly limits: BudgetLimits,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  /** Takes one tool call; false when none is left (the call is not made). */
  takeToolCall(): boolean {
    if (this.toolCalls >= this.limits.toolCalls) return false;
    this.toolCalls++;
    return true;
  }

  spendTokens(count: number): void {
    this.tokens += Math.max(0, count);
  }

  /** What is left of the time, in milliseconds (never below 0). */
  msLeft(): number {
    return Math.max(0, this.limits.ms - (this.now() - this.startedAt));
  }

  state(): BudgetState {
    if (this.tokens >= this.limits.tokens) return { kind: 'exhausted', by: 'tokens' };
    if (this.msLeft() === 0) return { kind: 'exhausted', by: 'time' };
    return { kind: 'ok' };
  }

  usage(): { toolCalls: number; tokens: number; ms: number } {
    return { toolCalls: this.toolCalls, tokens: this.tokens, ms: this.now() - this.startedAt };
  }
}
