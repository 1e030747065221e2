// The journey expression language: parse and check once, evaluate many times.
//
//   const r = compileExpression('@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}', scope);
//   if (r.ok) r.expression.evaluate({ events, profile, actions: {}, audiences: {}, now, random });
import type { Node } from './ast.ts';
import { checkExpression } from './checker.ts';
import { Compiler } from './compile.ts';
import type { Diagnostic } from './errors.ts';
import { EvalError, lineColumn } from './errors.ts';
import { parse } from './parser.ts';
import type { EvaluationContext, Evaluator, Runtime } from './runtime.ts';
import { WORK_BUDGET } from './runtime.ts';
import type { ExpectedType, SchemaScope } from './scope.ts';
import { localToInstant } from './time.ts';
import { typeName } from './types.ts';
import type { ExprValue } from './values.ts';
import { DateOnly, DateTime, DateTimeOnly } from './values.ts';

export type { Diagnostic } from './errors.ts';
export type { EvaluationContext } from './runtime.ts';
export type { ExpectedType, SchemaScope } from './scope.ts';
export type { JsonSchema } from './types.ts';
export type { ExprValue } from './values.ts';
export { DateOnly, DateTime, DateTimeOnly, Duration, toJson } from './values.ts';
export { completeExpression } from './complete.ts';
export type { Completion } from './complete.ts';
export { FUNCTIONS } from './functions/index.ts';

export type CompileResult =
  | { readonly ok: true; readonly expression: CompiledExpression }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface EvalErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export type EvalOutcome =
  | { readonly ok: true; readonly value: ExprValue }
  | { readonly ok: false; readonly error: EvalErrorInfo };

export interface CompiledExpression {
  readonly source: string;
  /** The inferred type: 'boolean', 'string', 'decimal', 'listObject', ... ('any' when unknown). */
  readonly type: string;
  readonly references: {
    readonly events: readonly string[];
    readonly actions: readonly string[];
    readonly audiences: readonly string[];
  };
  evaluate(ctx: EvaluationContext): EvalOutcome;
}

class Compiled implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly type: string,
    readonly references: CompiledExpression['references'],
    private readonly fn: Evaluator,
  ) {}

  evaluate(ctx: EvaluationContext): EvalOutcome {
    const rt: Runtime = { ctx, frames: [], budget: ctx.workBudget ?? WORK_BUDGET };
    try {
      return { ok: true, value: this.fn(rt) };
    } catch (e) {
      return { ok: false, error: this.failure(e) };
    }
  }

  private failure(e: unknown): EvalErrorInfo {
    if (e instanceof EvalError) {
      const { line, column } = lineColumn(this.source, e.span.offset);
      return { code: e.code, message: e.message, line, column };
    }
    if (e instanceof RangeError)
      return { code: 'too_large', message: `Evaluation failed: ${e.message}`, line: 1, column: 1 };
    return {
      code: 'internal_error',
      message: e instanceof Error ? e.message : String(e),
      line: 1,
      column: 1,
    };
  }
}

/** Parses, type-checks against the schemas in scope, and compiles to closures. */
export function compileExpression(
  source: string,
  scope: SchemaScope,
  options: { readonly expect?: ExpectedType } = {},
): CompileResult {
  const parsed = parse(source);
  if (!parsed.ok) return parsed;
  const checked = checkExpression(source, parsed.ast, scope, options.expect ?? 'any');
  if (checked.diagnostics.length > 0) return { ok: false, diagnostics: checked.diagnostics };
  const fn = new Compiler(checked.info).compile(parsed.ast as Node);
  return {
    ok: true,
    expression: new Compiled(
      source,
      typeName(checked.type),
      {
        events: [...checked.info.events],
        actions: [...checked.info.actions],
        audiences: [...checked.info.audiences],
      },
      fn,
    ),
  };
}

/** Diagnostics only (editor, API validate). */
export function validateExpression(
  source: string,
  scope: SchemaScope,
  options: { readonly expect?: ExpectedType } = {},
): {
  readonly diagnostics: readonly Diagnostic[];
  readonly type?: string;
} {
  const r = compileExpression(source, scope, options);
  return r.ok ? { diagnostics: [], type: r.expression.type } : { diagnostics: r.diagnostics };
}

/** For custom waits: a dateTimeOnly is read in the journey time zone; a dateTime is an instant. */
export function toEpochMillis(value: ExprValue, timeZone: string): number | null {
  if (value instanceof DateTime) return value.ms;
  if (value instanceof DateTimeOnly || value instanceof DateOnly)
    return localToInstant(value.ms, timeZone || 'UTC');
  return null;
}
