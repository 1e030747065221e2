// The expression AST: every node has a `readonly kind` and a source span.
import type { Span } from './errors.ts';
import type { ExprValue } from './values.ts';

export type RefSource = 'event' | 'profile' | 'dataSource' | 'action';
export type CurrentField = 'currentEventField' | 'currentActionField' | 'currentDataPackField';
export type BinaryOp =
  'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';
export type TypeTest = 'numeric' | 'integer' | 'decimal';

/** A step of a path: a field (projected over lists) or a collection/map method. */
export type Step =
  | { readonly kind: 'field'; readonly name: string; readonly span: Span }
  | {
      readonly kind: 'method';
      readonly name: string;
      readonly args: readonly Node[];
      readonly span: Span;
    };

export type LiteralValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' };

export interface Param {
  readonly name: string;
  readonly value: Node;
  readonly span: Span;
}

export type Node =
  | { readonly kind: 'literal'; readonly literal: LiteralValue; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Node[]; readonly span: Span }
  | {
      readonly kind: 'ref';
      readonly source: RefSource;
      /** `@event{E...}` → ['E']; `#{DS.FieldGroup...}` → ['DS', 'FieldGroup']; profile → ['ExperiencePlatform','ProfileFieldGroup','profile']. */
      readonly root: readonly string[];
      readonly rootSpan: Span;
      readonly steps: readonly Step[];
      readonly defaultValue?: Node;
      readonly params?: readonly Param[];
      readonly legacy?: boolean;
      readonly span: Span;
    }
  | { readonly kind: 'current'; readonly which: CurrentField; readonly span: Span }
  | {
      readonly kind: 'access';
      readonly target: Node;
      readonly steps: readonly Step[];
      readonly span: Span;
    }
  | { readonly kind: 'group'; readonly expr: Node; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: Node; readonly span: Span }
  | { readonly kind: 'negate'; readonly operand: Node; readonly span: Span }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: Node;
      readonly right: Node;
      readonly opSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'isNull';
      readonly negated: boolean;
      readonly operand: Node;
      readonly span: Span;
    }
  | { readonly kind: 'hasNull'; readonly operand: Node; readonly span: Span }
  | {
      readonly kind: 'isType';
      readonly test: TypeTest;
      readonly operand: Node;
      readonly span: Span;
    }
  | {
      readonly kind: 'call';
      readonly name: string;
      readonly nameSpan: Span;
      readonly args: readonly Node[];
      readonly span: Span;
    }
  | {
      readonly kind: 'if';
      readonly cond: Node;
      readonly then: Node;
      readonly else: Node;
      readonly span: Span;
    };

export type NodeKind = Node['kind'];

export function spanBetween(start: Span, end: Span): Span {
  return { offset: start.offset, length: end.offset + end.length - start.offset };
}

/** Strips grouping parentheses. */
export function unwrap(node: Node): Node {
  let n = node;
  while (n.kind === 'group') n = n.expr;
  return n;
}

/** The value of a literal (ignoring parentheses), or undefined when the node is not a literal. */
export function literalValue(node: Node): ExprValue | undefined {
  const n = unwrap(node);
  if (n.kind !== 'literal') return undefined;
  return n.literal.type === 'null' ? null : n.literal.value;
}
