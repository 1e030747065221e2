// Static type checker: infers every node's type from the schemas in scope and reports unknown
// fields, wrong argument types, forbidden operator combinations and a wrong result type, each
// with its position, what was expected and what was found.
import type { CurrentField, Node, Step } from './ast.ts';
import { unwrap } from './ast.ts';
import type { Diagnostic, Span } from './errors.ts';
import { DiagnosticCode, makeDiagnostic } from './errors.ts';
import { checkCall } from './check-call.ts';
import type { CallPlan } from './check-call.ts';
import { checkOperator } from './check-operators.ts';
import { applySteps, checkRef, CURRENT_FOR } from './check-paths.ts';
import type { ExpectedType, SchemaScope } from './scope.ts';
import type { Type } from './types.ts';
import { isLoose, isPrim, listOf, T, typeName, unify } from './types.ts';

export interface CheckInfo {
  readonly types: Map<Node, Type>;
  /** Type after each path step (drives value conversion at run time). */
  readonly stepTypes: Map<Step, Type>;
  readonly calls: Map<Node, CallPlan>;
  /** Frame index read by each currentXField node. */
  readonly frames: Map<Node, number>;
  readonly events: Set<string>;
  readonly actions: Set<string>;
  readonly audiences: Set<string>;
}

export interface CheckResult {
  readonly type: Type;
  readonly info: CheckInfo;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Frame {
  readonly element: Type;
  readonly expected: CurrentField | undefined;
}

export { literalValue } from './ast.ts';

export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly info: CheckInfo = {
    types: new Map(),
    stepTypes: new Map(),
    calls: new Map(),
    frames: new Map(),
    events: new Set(),
    actions: new Set(),
    audiences: new Set(),
  };
  /** Loop frames of enclosing all()/first()/last() conditions, innermost last. */
  readonly frames: Frame[] = [];

  constructor(
    readonly source: string,
    readonly scope: SchemaScope,
  ) {}

  error(code: string, message: string, span: Span, expected?: string, found?: string): void {
    if (this.diagnostics.length >= 50) return;
    this.diagnostics.push(
      makeDiagnostic(this.source, code, message, span, {
        ...(expected === undefined ? {} : { expected }),
        ...(found === undefined ? {} : { found }),
      }),
    );
  }

  check(node: Node): Type {
    const t = this.infer(node);
    this.info.types.set(node, t);
    return t;
  }

  private infer(node: Node): Type {
    switch (node.kind) {
      case 'literal':
        return node.literal.type === 'null' ? T.null : T[node.literal.type];
      case 'list':
        return this.checkList(node.items, node.span);
      case 'group':
        return this.check(node.expr);
      case 'ref':
        return checkRef(this, node);
      case 'current':
        return this.checkCurrent(node);
      case 'access': {
        const base = this.check(node.target);
        return applySteps(this, base, node.steps, this.originOf(node.target), 'the value');
      }
      case 'not': {
        const t = this.check(node.operand);
        this.expectBoolean(t, node.operand.span, '"not"');
        return T.boolean;
      }
      case 'negate': {
        const t = this.check(node.operand);
        if (!isLoose(t) && !isPrim(t, 'integer', 'decimal', 'duration')) {
          this.error(
            DiagnosticCode.TypeMismatch,
            `Unary "-" needs a number or a duration, found ${typeName(t)}`,
            node.operand.span,
            'integer or decimal',
            typeName(t),
          );
          return T.any;
        }
        return t;
      }
      case 'binary':
        return checkOperator(this, node, this.check(node.left), this.check(node.right));
      case 'isNull':
        this.check(node.operand);
        return T.boolean;
      case 'hasNull': {
        const t = this.check(node.operand);
        if (!isLoose(t) && t.kind !== 'list') {
          this.error(
            DiagnosticCode.TypeMismatch,
            `"has null" needs a list, found ${typeName(t)}`,
            node.operand.span,
            'list',
            typeName(t),
          );
        }
        return T.boolean;
      }
      case 'isType':
        this.check(node.operand);
        return T.boolean;
      case 'call':
        return checkCall(
          this,
          node,
          node.args.map((a) => this.check(a)),
        );
      case 'if': {
        this.expectBoolean(this.check(node.cond), node.cond.span, 'the condition of "if"');
        const a = this.check(node.then);
        const b = this.check(node.else);
        const u = unify(a, b);
        if (!u) {
          this.error(
            DiagnosticCode.TypeMismatch,
            `The branches of "if" must have the same type: "then" is ${typeName(a)}, "else" is ${typeName(b)}`,
            node.else.span,
            typeName(a),
            typeName(b),
          );
          return T.any;
        }
        return u;
      }
    }
  }

  expectBoolean(t: Type, span: Span, what: string): void {
    if (!isLoose(t) && !isPrim(t, 'boolean')) {
      this.error(
        DiagnosticCode.TypeMismatch,
        `${capitalize(what)} must be boolean, found ${typeName(t)}`,
        span,
        'boolean',
        typeName(t),
      );
    }
  }

  private checkList(items: readonly Node[], span: Span): Type {
    let element: Type = T.null;
    for (const item of items) {
      const t = this.check(item);
      const u = unify(element, t);
      if (!u) {
        this.error(
          DiagnosticCode.TypeMismatch,
          `A list holds values of one type: found ${typeName(t)} after ${typeName(element)}`,
          item.span,
          typeName(element),
          typeName(t),
        );
        return listOf(T.any);
      }
      element = u;
    }
    if (items.length > 100_000) this.error(DiagnosticCode.TooLong, 'List literal too long', span);
    return listOf(element.kind === 'null' ? T.any : element);
  }

  private originOf(node: Node): CurrentField | undefined {
    const n = unwrap(node);
    if (n.kind === 'ref') return CURRENT_FOR[n.source];
    if (n.kind === 'access') return this.originOf(n.target);
    if (n.kind === 'current') return n.which;
    return undefined;
  }

  private checkCurrent(node: Node & { kind: 'current' }): Type {
    const frame = this.frames[this.frames.length - 1];
    if (!frame) {
      this.error(
        DiagnosticCode.CurrentField,
        `${node.which} can only be used inside the condition of all(), first() or last()`,
        node.span,
      );
      return T.any;
    }
    if (frame.expected && frame.expected !== node.which) {
      this.error(
        DiagnosticCode.CurrentField,
        `Use ${frame.expected} here, not ${node.which}: currentEventField iterates event collections, currentActionField action responses, currentDataPackField data sources`,
        node.span,
        frame.expected,
        node.which,
      );
    }
    this.info.frames.set(node, this.frames.length - 1);
    return frame.element;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function checkExpression(
  source: string,
  ast: Node,
  scope: SchemaScope,
  expect: ExpectedType = 'any',
): CheckResult {
  const c = new Checker(source, scope);
  const type = c.check(ast);
  if (c.diagnostics.length === 0) {
    if (expect === 'boolean' && !isLoose(type) && !isPrim(type, 'boolean')) {
      c.error(
        DiagnosticCode.WrongResultType,
        `A condition must be boolean, found ${typeName(type)}`,
        ast.span,
        'boolean',
        typeName(type),
      );
    }
    if (expect === 'dateTimeOnly' && !isLoose(type) && !isPrim(type, 'dateTimeOnly', 'dateTime')) {
      c.error(
        DiagnosticCode.WrongResultType,
        `A custom wait must be a dateTimeOnly (or dateTime), found ${typeName(type)}`,
        ast.span,
        'dateTimeOnly',
        typeName(type),
      );
    }
  }
  return { type, info: c.info, diagnostics: c.diagnostics };
}
