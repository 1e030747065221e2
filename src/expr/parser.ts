// Recursive-descent parser. Precedence, loosest first: or, and, not, comparison, is/has tests,
// + -, * / %, unary minus, postfix paths. Keywords are lowercase only.
import type { BinaryOp, CurrentField, Node, TypeTest } from './ast.ts';
import { spanBetween } from './ast.ts';
import type { Diagnostic, Span } from './errors.ts';
import { DiagnosticCode, makeDiagnostic } from './errors.ts';
import type { Token } from './lexer.ts';
import { Lexer, SyntaxFailure } from './lexer.ts';
import type { PathParser } from './parse-path.ts';
import { parseReference, parseSteps } from './parse-path.ts';

export { METHODS } from './parse-path.ts';

export const LIMITS = {
  /** Maximum source length in characters. */
  maxLength: 20_000,
  /** Maximum nesting depth of the syntax tree. */
  maxDepth: 64,
} as const;

export type ParseResult =
  | { readonly ok: true; readonly ast: Node }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'is',
  'has',
  'null',
  'true',
  'false',
  'if',
  'then',
  'else',
]);
const CURRENT: ReadonlySet<string> = new Set<CurrentField>([
  'currentEventField',
  'currentActionField',
  'currentDataPackField',
]);

class DepthFailure extends Error {
  readonly span: Span;
  constructor(span: Span) {
    super(`Expression nested too deeply (more than ${LIMITS.maxDepth} levels)`);
    this.span = span;
  }
}

export function parse(source: string): ParseResult {
  if (source.length > LIMITS.maxLength) {
    return {
      ok: false,
      diagnostics: [
        makeDiagnostic(
          source,
          DiagnosticCode.TooLong,
          `Expression too long: ${source.length} characters (limit ${LIMITS.maxLength})`,
          {
            offset: LIMITS.maxLength,
            length: source.length - LIMITS.maxLength,
          },
          {
            expected: `at most ${LIMITS.maxLength} characters`,
            found: `${source.length} characters`,
          },
        ),
      ],
    };
  }
  const p = new Parser(source);
  try {
    const ast = p.parseExpression();
    const t = p.lexer.peek();
    if (t.kind !== 'eof') p.unexpected(t, 'end of expression');
    return { ok: true, ast };
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      return {
        ok: false,
        diagnostics: [
          makeDiagnostic(
            source,
            DiagnosticCode.Syntax,
            e.message,
            e.span,
            withDefined(e.expected, e.found),
          ),
        ],
      };
    }
    if (e instanceof DepthFailure) {
      return {
        ok: false,
        diagnostics: [makeDiagnostic(source, DiagnosticCode.TooDeep, e.message, e.span)],
      };
    }
    if (e instanceof RangeError) {
      return {
        ok: false,
        diagnostics: [
          makeDiagnostic(source, DiagnosticCode.TooDeep, 'Expression nested too deeply', {
            offset: 0,
            length: source.length,
          }),
        ],
      };
    }
    throw e;
  }
}

function withDefined(
  expected: string | undefined,
  found: string | undefined,
): { expected?: string; found?: string } {
  return {
    ...(expected === undefined ? {} : { expected }),
    ...(found === undefined ? {} : { found }),
  };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of expression';
    case 'string':
      return JSON.stringify(t.text);
    case 'refOpen':
      return `"${t.text}"`;
    default:
      return `"${t.text}"`;
  }
}

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser implements PathParser {
  readonly lexer: Lexer;
  private depth = 0;

  constructor(source: string) {
    this.lexer = new Lexer(source);
  }

  unexpected(t: Token, expected: string): never {
    const found = describe(t);
    let hint = '';
    if (t.kind === 'ident' && KEYWORDS.has(t.text.toLowerCase()) && !KEYWORDS.has(t.text)) {
      hint = `: keywords and operators are lowercase, use "${t.text.toLowerCase()}"`;
    }
    throw new SyntaxFailure(
      `Expected ${expected}, found ${found}${hint}`,
      t.span.length ? t.span : { offset: t.span.offset, length: 0 },
      expected,
      found,
    );
  }

  private enter(span: Span): void {
    if (++this.depth > LIMITS.maxDepth) throw new DepthFailure(span);
  }

  isPunct(text: string): boolean {
    const t = this.lexer.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(text: string): boolean {
    const t = this.lexer.peek();
    return t.kind === 'ident' && t.text === text;
  }

  expectPunct(text: string, what?: string): Token {
    const t = this.lexer.peek();
    if (t.kind !== 'punct' || t.text !== text) this.unexpected(t, what ?? `"${text}"`);
    return this.lexer.next();
  }

  private expectWord(text: string): Token {
    const t = this.lexer.peek();
    if (t.kind !== 'ident' || t.text !== text) this.unexpected(t, `"${text}"`);
    return this.lexer.next();
  }

  parseExpression(): Node {
    this.enter(this.lexer.peek().span);
    try {
      return this.parseOr();
    } finally {
      this.depth--;
    }
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      const op = this.lexer.next();
      const right = this.parseAnd();
      left = {
        kind: 'binary',
        op: 'or',
        left,
        right,
        opSpan: op.span,
        span: spanBetween(left.span, right.span),
      };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.isWord('and')) {
      const op = this.lexer.next();
      const right = this.parseNot();
      left = {
        kind: 'binary',
        op: 'and',
        left,
        right,
        opSpan: op.span,
        span: spanBetween(left.span, right.span),
      };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.isWord('not')) {
      const t = this.lexer.next();
      this.enter(t.span);
      try {
        const operand = this.parseNot();
        return { kind: 'not', operand, span: spanBetween(t.span, operand.span) };
      } finally {
        this.depth--;
      }
    }
    return this.parseComparison();
  }

  private parseComparison(): Node {
    let left = this.parseTest();
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind !== 'op' || !COMPARISONS.has(t.text)) return left;
      this.lexer.next();
      const right = this.parseTest();
      left = {
        kind: 'binary',
        op: t.text as BinaryOp,
        left,
        right,
        opSpan: t.span,
        span: spanBetween(left.span, right.span),
      };
    }
  }

  private parseTest(): Node {
    let node = this.parseAdditive();
    for (;;) {
      if (this.isWord('is')) {
        this.lexer.next();
        let negated = false;
        if (this.isWord('not')) {
          this.lexer.next();
          negated = true;
        }
        const t = this.lexer.peek();
        if (t.kind === 'ident' && t.text === 'null') {
          this.lexer.next();
          node = { kind: 'isNull', negated, operand: node, span: spanBetween(node.span, t.span) };
        } else if (
          !negated &&
          t.kind === 'ident' &&
          (t.text === 'numeric' || t.text === 'integer' || t.text === 'decimal')
        ) {
          this.lexer.next();
          node = {
            kind: 'isType',
            test: t.text as TypeTest,
            operand: node,
            span: spanBetween(node.span, t.span),
          };
        } else {
          this.unexpected(
            t,
            negated ? '"null"' : '"null", "not null", "numeric", "integer" or "decimal"',
          );
        }
      } else if (this.isWord('has')) {
        this.lexer.next();
        const t = this.expectWord('null');
        node = { kind: 'hasNull', operand: node, span: spanBetween(node.span, t.span) };
      } else {
        return node;
      }
    }
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-')) return left;
      this.lexer.next();
      const right = this.parseMultiplicative();
      left = {
        kind: 'binary',
        op: t.text,
        left,
        right,
        opSpan: t.span,
        span: spanBetween(left.span, right.span),
      };
    }
  }

  private parseMultiplicative(): Node {
    let left = this.parseUnary();
    for (;;) {
      const t = this.lexer.peek();
      if (t.kind !== 'op' || (t.text !== '*' && t.text !== '/' && t.text !== '%')) return left;
      this.lexer.next();
      const right = this.parseUnary();
      left = {
        kind: 'binary',
        op: t.text,
        left,
        right,
        opSpan: t.span,
        span: spanBetween(left.span, right.span),
      };
    }
  }

  private parseUnary(): Node {
    const t = this.lexer.peek();
    if (t.kind === 'op' && t.text === '-') {
      this.lexer.next();
      const digits = this.lexer.peek();
      if (digits.kind === 'integer' && BigInt(digits.text) === 9223372036854775808n) {
        // the only place where 2^63 is a valid literal: -9223372036854775808 (Long.MIN_VALUE)
        this.lexer.next();
        return {
          kind: 'literal',
          literal: { type: 'integer', value: -9223372036854775808n },
          span: spanBetween(t.span, digits.span),
        };
      }
      this.enter(t.span);
      try {
        const operand = this.parseUnary();
        if (
          operand.kind === 'literal' &&
          (operand.literal.type === 'integer' || operand.literal.type === 'decimal')
        ) {
          const span = spanBetween(t.span, operand.span);
          if (operand.literal.type === 'decimal')
            return {
              kind: 'literal',
              literal: { type: 'decimal', value: -operand.literal.value },
              span,
            };
          const v = operand.literal.value;
          return {
            kind: 'literal',
            literal: { type: 'integer', value: typeof v === 'bigint' ? normalizeInt(-v) : -v },
            span,
          };
        }
        return { kind: 'negate', operand, span: spanBetween(t.span, operand.span) };
      } finally {
        this.depth--;
      }
    }
    return this.parsePostfix();
  }

  private parsePostfix(): Node {
    const target = this.parsePrimary();
    if (!this.isPunct('.')) return target;
    const steps = parseSteps(this);
    const last = steps[steps.length - 1];
    return {
      kind: 'access',
      target,
      steps,
      span: last ? spanBetween(target.span, last.span) : target.span,
    };
  }

  parseArgs(close: string): Node[] {
    const args: Node[] = [];
    if (this.isPunct(close)) return args;
    for (;;) {
      args.push(this.parseExpression());
      if (!this.isPunct(',')) return args;
      this.lexer.next();
    }
  }

  private parsePrimary(): Node {
    const t = this.lexer.peek();
    switch (t.kind) {
      case 'string':
        this.lexer.next();
        return { kind: 'literal', literal: { type: 'string', value: t.text }, span: t.span };
      case 'integer': {
        this.lexer.next();
        const big = BigInt(t.text);
        if (big > 9223372036854775807n) {
          throw new SyntaxFailure(
            `Integer literal ${t.text} does not fit in 64 bits`,
            t.span,
            '64-bit integer',
            t.text,
          );
        }
        return {
          kind: 'literal',
          literal: { type: 'integer', value: normalizeInt(big) },
          span: t.span,
        };
      }
      case 'decimal': {
        this.lexer.next();
        const v = Number(t.text);
        if (!Number.isFinite(v))
          throw new SyntaxFailure(
            `Decimal literal ${t.text} is out of range`,
            t.span,
            'decimal',
            t.text,
          );
        return { kind: 'literal', literal: { type: 'decimal', value: v }, span: t.span };
      }
      case 'refOpen':
        return parseReference(this);
      case 'punct':
        if (t.text === '(') {
          this.lexer.next();
          const expr = this.parseExpression();
          const close = this.expectPunct(')');
          return { kind: 'group', expr, span: spanBetween(t.span, close.span) };
        }
        if (t.text === '[') {
          this.lexer.next();
          const items = this.parseArgs(']');
          const close = this.expectPunct(']');
          return { kind: 'list', items, span: spanBetween(t.span, close.span) };
        }
        return this.unexpected(t, 'a value');
      case 'ident':
        return this.parseIdentifier(t);
      case 'op':
      case 'eof':
        return this.unexpected(t, 'a value');
    }
  }

  private parseIdentifier(t: Token): Node {
    const name = t.text;
    if (name === 'true' || name === 'false') {
      this.lexer.next();
      return {
        kind: 'literal',
        literal: { type: 'boolean', value: name === 'true' },
        span: t.span,
      };
    }
    if (name === 'null') {
      this.lexer.next();
      return { kind: 'literal', literal: { type: 'null' }, span: t.span };
    }
    if (name === 'if') return this.parseIf();
    if (CURRENT.has(name)) {
      this.lexer.next();
      return { kind: 'current', which: name as CurrentField, span: t.span };
    }
    if (KEYWORDS.has(name)) return this.unexpected(t, 'a value');
    this.lexer.next();
    if (this.isPunct('(')) {
      this.lexer.next();
      const args = this.parseArgs(')');
      const close = this.expectPunct(')');
      return { kind: 'call', name, nameSpan: t.span, args, span: spanBetween(t.span, close.span) };
    }
    const lower = name.toLowerCase();
    if (KEYWORDS.has(lower)) {
      throw new SyntaxFailure(
        `"${name}" is not valid: keywords and operators are lowercase, use "${lower}"`,
        t.span,
        lower,
        name,
      );
    }
    throw new SyntaxFailure(
      `Unexpected identifier "${name}": a field is written @event{Event.field}, #{DataSource.FieldGroup.field} or @action{Action.field}`,
      t.span,
      'a value',
      name,
    );
  }

  private parseIf(): Node {
    const start = this.lexer.next();
    const parts: Node[] = [];
    let close = start;
    for (const keyword of ['if', 'then', 'else']) {
      if (keyword !== 'if') this.expectWord(keyword);
      const open = this.lexer.peek();
      if (open.kind !== 'punct' || open.text !== '(') {
        this.unexpected(
          open,
          `"(" after "${keyword}" (the condition and both branches must be in parentheses)`,
        );
      }
      this.lexer.next();
      parts.push(this.parseExpression());
      close = this.expectPunct(')');
    }
    const [cond, then, otherwise] = parts as [Node, Node, Node];
    return { kind: 'if', cond, then, else: otherwise, span: spanBetween(start.span, close.span) };
  }
}

/** Integers are JS numbers when safe, bigints (wrapped to 64 bits) otherwise. */
export function normalizeInt(v: bigint): number | bigint {
  const w = BigInt.asIntN(64, v);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}
