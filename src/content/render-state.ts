// The per-render state that helpers read through Handlebars' data frame (`options.data.wm`).
import { LimitExceeded, type ContentLimits } from './limits.ts';

export interface RenderState {
  /** Injected clock, epoch ms. */
  readonly now: number;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  readonly limits: ContentLimits;
  iterations: number;
  readonly warnings: string[];
  /** Conditional-content variant chosen per block id (filled as blocks render). */
  chosen?: Record<string, string>;
}

export function newRenderState(now: number, audiences: Readonly<Record<string, 'realized' | 'exited'>>, limits: ContentLimits): RenderState {
  return { now, audiences, limits, iterations: 0, warnings: [] };
}

export function countIteration(state: RenderState): void {
  state.iterations += 1;
  if (state.iterations > state.limits.maxLoopIterations) {
    throw new LimitExceeded('maxLoopIterations', `loop iterations exceed the limit of ${state.limits.maxLoopIterations} per render`);
  }
}
