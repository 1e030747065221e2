// Parsing of paths and references: `@event{Event.path, defaultValue: ...}`, `@{...}`,
// `@action{...}`, `#{DataSource.FieldGroup.path, params: {...}}`, and `.field` / `.method(...)` steps.
import type { Node, Param, RefSource, Step } from './ast.ts';
import { spanBetween } from './ast.ts';
import type { Lexer, Token } from './lexer.ts';
import { SyntaxFailure } from './lexer.ts';

export const METHODS = ['at', 'all', 'first', 'last', 'entry', 'firstEntryKey', 'keys'] as const;

/** What path parsing needs from the expression parser. */
export interface PathParser {
  readonly lexer: Lexer;
  isPunct(text: string): boolean;
  expectPunct(text: string, what?: string): Token;
  parseExpression(): Node;
  parseArgs(close: string): Node[];
  unexpected(t: Token, expected: string): never;
}

/** `.field`, `.'quoted'`, `.method(args)` repeated. */
export function parseSteps(p: PathParser): Step[] {
  const steps: Step[] = [];
  while (p.isPunct('.')) {
    p.lexer.next();
    const seg = p.lexer.segment();
    if (
      !seg.quoted &&
      p.isPunct('(') &&
      p.lexer.peek().span.offset === seg.span.offset + seg.span.length
    ) {
      if (!(METHODS as readonly string[]).includes(seg.name)) {
        throw new SyntaxFailure(
          `Unknown method "${seg.name}": expected one of ${METHODS.join(', ')}`,
          seg.span,
          METHODS.join(', '),
          seg.name,
        );
      }
      p.lexer.next();
      const args = p.parseArgs(')');
      const close = p.expectPunct(')');
      steps.push({ kind: 'method', name: seg.name, args, span: spanBetween(seg.span, close.span) });
    } else {
      steps.push({ kind: 'field', name: seg.name, span: seg.span });
    }
  }
  return steps;
}

export function parseReference(p: PathParser): Node {
  const open = p.lexer.next();
  const source: RefSource =
    open.text === '#{' ? 'dataSource' : open.text === '@action{' ? 'action' : 'event';
  const first = p.lexer.segment();
  const root = [first.name];
  let rootSpan = first.span;
  let steps: Step[] = [];
  let kind: RefSource = source;
  if (source === 'dataSource') {
    p.expectPunct('.', '"." and a field group after the data source name');
    const group = p.lexer.segment();
    root.push(group.name);
    rootSpan = spanBetween(first.span, group.span);
    steps = parseSteps(p);
    const head = steps[0];
    // The ExperiencePlatform data source is the profile: #{ExperiencePlatform.<FieldGroup>.profile.<path>}.
    if (first.name === 'ExperiencePlatform') {
      kind = 'profile';
      if (head?.kind === 'field' && head.name === 'profile') {
        root.push('profile');
        rootSpan = spanBetween(first.span, head.span);
        steps = steps.slice(1);
      }
    }
  } else {
    steps = parseSteps(p);
  }
  let defaultValue: Node | undefined;
  let params: Param[] | undefined;
  while (p.isPunct(',')) {
    p.lexer.next();
    const key = p.lexer.peek();
    if (key.kind === 'ident' && key.text === 'defaultValue' && defaultValue === undefined) {
      p.lexer.next();
      p.expectPunct(':');
      defaultValue = p.parseExpression();
    } else if (
      key.kind === 'ident' &&
      key.text === 'params' &&
      params === undefined &&
      source === 'dataSource'
    ) {
      p.lexer.next();
      p.expectPunct(':');
      params = parseParams(p);
    } else {
      p.unexpected(
        key,
        source === 'dataSource' ? '"defaultValue:" or "params:"' : '"defaultValue:"',
      );
    }
  }
  const close = p.expectPunct('}', steps.length === 0 ? '"." and a field path, or "}"' : '"}"');
  return {
    kind: 'ref',
    source: kind,
    root,
    rootSpan,
    steps,
    ...(defaultValue === undefined ? {} : { defaultValue }),
    ...(params === undefined ? {} : { params }),
    ...(open.text === '@{' ? { legacy: true } : {}),
    span: spanBetween(open.span, close.span),
  };
}

export function parseParams(p: PathParser): Param[] {
  p.expectPunct('{');
  const params: Param[] = [];
  if (!p.isPunct('}')) {
    for (;;) {
      const key = p.lexer.segment();
      p.expectPunct(':');
      const value = p.parseExpression();
      params.push({ name: key.name, value, span: spanBetween(key.span, value.span) });
      if (!p.isPunct(',')) break;
      p.lexer.next();
    }
  }
  p.expectPunct('}');
  return params;
}
