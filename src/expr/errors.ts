// Diagnostics (compile time) and evaluation failures (run time), each with a source position.

export interface Diagnostic {
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  readonly expected?: string;
  readonly found?: string;
}

export interface Span {
  readonly offset: number;
  readonly length: number;
}

export const DiagnosticCode = {
  Syntax: 'syntax_error',
  TooLong: 'too_long',
  TooDeep: 'too_deep',
  UnknownEvent: 'unknown_event',
  UnknownAction: 'unknown_action',
  UnknownDataSource: 'unknown_data_source',
  UnknownField: 'unknown_field',
  UnknownFunction: 'unknown_function',
  UnknownAudience: 'unknown_audience',
  TooManyAudiences: 'too_many_audiences',
  ArgumentCount: 'wrong_argument_count',
  ArgumentType: 'wrong_argument_type',
  NotConstant: 'not_constant',
  TypeMismatch: 'type_mismatch',
  WrongResultType: 'wrong_result_type',
  InvalidDefault: 'invalid_default',
  ParenthesesRequired: 'parentheses_required',
  CurrentField: 'invalid_current_field',
  InvalidArgument: 'invalid_argument',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** Line and column (both 1-based) of an offset in the source. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function makeDiagnostic(
  source: string,
  code: string,
  message: string,
  span: Span,
  extra: { expected?: string; found?: string } = {},
): Diagnostic {
  const { line, column } = lineColumn(source, span.offset);
  return {
    code,
    message,
    line,
    column,
    offset: span.offset,
    length: span.length,
    ...(extra.expected === undefined ? {} : { expected: extra.expected }),
    ...(extra.found === undefined ? {} : { found: extra.found }),
  };
}

/** Thrown inside evaluation; caught by the compiled expression's evaluate() and turned into an outcome. */
export class EvalError extends Error {
  readonly code: string;
  readonly span: Span;
  constructor(code: string, message: string, span: Span) {
    super(message);
    this.name = 'EvalError';
    this.code = code;
    this.span = span;
  }
}

export const EvalErrorCode = {
  Conversion: 'conversion_error',
  InvalidArgument: 'invalid_argument',
  TooLarge: 'too_large',
  Internal: 'internal_error',
} as const;
