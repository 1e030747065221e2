// The per-render state that helpers read through Handlebars' data frame (`options.data.wm`), and the
// meters of the render's budget: output written, work done by functions, loop iterations.
import { LimitExceeded, type ContentLimits } from './limits.ts';
import type { DecidedOffer } from './decisions.ts';

export interface RenderState {
  /** Injected clock, epoch ms. */
  readonly now: number;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  /** Offers decided before the render, by decision policy id. */
  readonly decisions: Readonly<Record<string, readonly DecidedOffer[]>>;
  /** Signs a landing page link for the profile being rendered (`landingPageUrl "slug"`); absent: no link. */
  readonly pageLink: PageLinker | undefined;
  readonly limits: ContentLimits;
  iterations: number;
  readonly warnings: string[];
  /** Conditional-content variant chosen per block id (filled as blocks render). */
  chosen?: Record<string, string>;
  /** Key-value pairs the content captured with `executionMetadata`, kept with the message sent. */
  metadata?: Record<string, string>;
  /** The field being rendered (subject, html, text...), for errors. */
  field?: string;
  /** Characters written so far in this render, all fields (see `emit`). */
  emitted: number;
  /** Work units spent by function calls so far (see `chargeWork`). */
  work: number;
  /**
   * Called by compiled templates on every piece they append to their output (engine.ts's metered
   * compiler): counts it against maxRenderChars and returns it as the string Handlebars would append.
   */
  readonly emit: (piece: unknown, line?: number) => string;
}

/** A landing page's signed URL for the profile rendered: (page slug, sub-page slug?) → URL. */
export type PageLinker = (slug: string, subPage?: string) => string;

export function newRenderState(
  now: number,
  audiences: Readonly<Record<string, 'realized' | 'exited'>>,
  limits: ContentLimits,
  decisions: Readonly<Record<string, readonly DecidedOffer[]>> = {},
  pageLink?: PageLinker,
): RenderState {
  const state: RenderState = {
    // Every field present from the start: one object shape for all render states (cheap lookups in compiled templates).
    now,
    audiences,
    decisions,
    pageLink,
    limits,
    iterations: 0,
    warnings: [],
    chosen: undefined,
    metadata: undefined,
    field: undefined,
    emitted: 0,
    work: 0,
    emit: (piece, line) => {
      const s =
        typeof piece === 'string'
          ? piece
          : piece === undefined || piece === null
            ? ''
            : String(piece);
      state.emitted += s.length;
      if (state.emitted > limits.maxRenderChars) {
        const e = new LimitExceeded(
          'maxRenderChars',
          `the render writes more than ${limits.maxRenderChars} characters (maxRenderChars)`,
          limits.maxRenderChars,
        );
        throw e.at({
          ...(state.field === undefined ? {} : { field: state.field }),
          ...(line === undefined ? {} : { line }),
        });
      }
      return s;
    },
  };
  return state;
}

/**
 * A block (#each, #if, #with...) returns what its inner program wrote, which the meter has counted
 * already; the enclosing program appends it again, so the block's result is taken off the count here.
 */
export function uncount(state: RenderState, result: unknown): void {
  if (typeof result === 'string') state.emitted -= result.length;
}

export function countIteration(state: RenderState): void {
  state.iterations += 1;
  if (state.iterations > state.limits.maxLoopIterations) {
    throw new LimitExceeded(
      'maxLoopIterations',
      `loop iterations exceed the limit of ${state.limits.maxLoopIterations} per render`,
      state.limits.maxLoopIterations,
    );
  }
}

/** Size of a value for the work budget and the value bounds: characters of a string, items of a list. */
export function sizeOf(v: unknown): number {
  return typeof v === 'string' || Array.isArray(v) ? v.length : 0;
}

export function chargeWork(state: RenderState, units: number, what: string): void {
  state.work += units;
  if (state.work > state.limits.maxWork) {
    throw new LimitExceeded(
      'maxWork',
      `functions did more than ${state.limits.maxWork} units of work in this render (maxWork), last ${what}`,
      state.limits.maxWork,
    );
  }
}
