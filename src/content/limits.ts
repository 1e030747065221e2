// Bounds on templates and their output. Every limit has a clear error naming it, its value and where
// in the template it was crossed. Runtime bounds are checked as values are made, not after the fact,
// so that a template that doubles a string in a loop of `let`s fails after a few megabytes of work
// instead of building gigabytes (the same idea as the expression language's work budget, src/expr).

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
  /** Characters of output of one render, all fields together (counted as it is written). */
  readonly maxRenderChars: number;
  /** Characters of one value made during a render: a `let` value, a function's result (concat, replace, join...). */
  readonly maxValueChars: number;
  /** Items of one list made during a render (split, arrays, projections, distinct...). */
  readonly maxListItems: number;
  /** Work of all function calls in one render: characters and list items passed in and out, plus one per call. */
  readonly maxWork: number;
}

const MiB = 1024 * 1024;

export const defaultLimits: ContentLimits = {
  maxTemplateChars: 512 * 1024,
  maxLoopIterations: 10_000,
  maxNesting: 16,
  maxOutputChars: 2 * MiB,
  maxFragments: 30,
  maxRenderChars: MiB,
  maxValueChars: MiB,
  maxListItems: 100_000,
  maxWork: 64 * MiB,
};

/** The bounds a render may set (a channel configuration's renderLimits): the output of one render. */
export interface RenderLimits {
  readonly maxRenderChars?: number;
}

/** The most a render may allow itself, whatever its configuration says. */
export const MAX_RENDER_CHARS = 16 * MiB;

export type LimitName = keyof ContentLimits;

/**
 * `limits` with a render's own bounds: its maxRenderChars (at most MAX_RENDER_CHARS) replaces the
 * compiled one, and one field may then be as large as the whole render.
 */
export function withRenderLimits(limits: ContentLimits, render: RenderLimits): ContentLimits {
  const v = render.maxRenderChars;
  if (v === undefined || !Number.isFinite(v) || v < 1) return limits;
  const maxRenderChars = Math.min(Math.floor(v), MAX_RENDER_CHARS);
  return {
    ...limits,
    maxRenderChars,
    maxOutputChars: Math.max(limits.maxOutputChars, maxRenderChars),
  };
}

/** Where a bound was crossed: the field (subject, html, text...) and the line/column of the tag when known. */
export interface LimitWhere {
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;
}

/** What a failed render says about the bound it crossed. */
export interface LimitDetails {
  readonly name: LimitName;
  readonly max: number;
  readonly where?: LimitWhere;
}

/** Thrown inside a render when a runtime bound is crossed; turned into { ok: false, reason: 'limit_exceeded', limit }. */
export class LimitExceeded extends Error {
  readonly limit: LimitName;
  readonly max: number | undefined;
  readonly where: LimitWhere | undefined;
  constructor(limit: LimitName, message: string, max?: number, where?: LimitWhere) {
    super(message);
    this.name = 'LimitExceeded';
    this.limit = limit;
    this.max = max;
    this.where = where;
  }

  /** The same error, located (the message gains " (in <field>, line <n>)"), unless it already is. */
  at(where: LimitWhere): LimitExceeded {
    if (this.where !== undefined) return this;
    const place = [
      where.field === undefined ? undefined : `in ${where.field}`,
      where.line === undefined ? undefined : `line ${where.line}`,
    ]
      .filter((x) => x !== undefined)
      .join(', ');
    return new LimitExceeded(
      this.limit,
      place === '' ? this.message : `${this.message} (${place})`,
      this.max,
      where,
    );
  }

  details(limits: ContentLimits): LimitDetails {
    return {
      name: this.limit,
      max: this.max ?? limits[this.limit],
      ...(this.where === undefined ? {} : { where: this.where }),
    };
  }
}

/** Throws when `size` characters (or items) are over `limits[name]`; `what` names the value ("concat() result"). */
export function checkSize(
  limits: ContentLimits,
  name: 'maxValueChars' | 'maxListItems',
  size: number,
  what: string,
): void {
  const max = limits[name];
  if (size > max) {
    const unit = name === 'maxListItems' ? 'items' : 'characters';
    throw new LimitExceeded(
      name,
      `${what} would be ${size} ${unit}, over the limit of ${max} (${name})`,
      max,
    );
  }
}
