// Bounds on templates and their output. Every limit has a clear error naming it.

export interface ContentLimits {
  /** Characters of one template field's source (after fragment expansion). */
  readonly maxTemplateChars: number;
  /** Iterations of all #each loops in one render. */
  readonly maxLoopIterations: number;
  /** Depth of nested blocks (#if, #each, #with, #unless). */
  readonly maxNesting: number;
  /** Characters of one rendered field. */
  readonly maxOutputChars: number;
  /** Fragments in one message. */
  readonly maxFragments: number;
}

export const defaultLimits: ContentLimits = {
  maxTemplateChars: 512 * 1024,
  maxLoopIterations: 10_000,
  maxNesting: 16,
  maxOutputChars: 2 * 1024 * 1024,
  maxFragments: 30,
};

/** Thrown inside a render when a runtime bound is crossed; turned into { ok: false, reason: 'limit_exceeded' }. */
export class LimitExceeded extends Error {
  readonly limit: keyof ContentLimits;
  constructor(limit: keyof ContentLimits, message: string) {
    super(message);
    this.name = 'LimitExceeded';
    this.limit = limit;
  }
}
