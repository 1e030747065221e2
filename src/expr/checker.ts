// Static type checker: infers every node's type from the schemas in scope and reports unknown
// fields, wrong argument types, forbidden operator combinations and a wrong result type, each
// with its position, what was expected and what was found.
import type { CurrentField, Node, RefSource, Step } from './ast.ts';
import { unwrap } from './ast.ts';
import type { Diagnostic, Span } from './errors.ts';
import { DiagnosticCode, makeDiagnostic } from './errors.ts';
import { checkCall } from './check-call.ts';
import type { CallPlan } from './check-call.ts';
import { checkOperator } from './check-operators.ts';
import type { ExpectedType, SchemaScope } from './scope.ts';
import type { Type } from './types.ts';
import { assignable, fieldType, isLoose, isPrim, listOf, rootSchemaType, T, typeName, unify } from './types.ts';
import type { ExprValue } from './values.ts';

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

interface Frame {
  readonly element: Type;
  readonly expected: CurrentField | undefined;
}

const CURRENT_FOR: Record<RefSource, CurrentField> = {
  event: 'currentEventField',
  action: 'currentActionField',
  dataSource: 'currentDataPackField',
  profile: 'currentDataPackField',
};

export function literalValue(node: Node): ExprValue | undefined {
  const n = unwrap(node);
  if (n.kind !== 'literal') return undefined;
  return n.literal.type === 'null' ? null : n.literal.value;
}

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
  private readonly frames: Frame[] = [];

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
        return this.checkRef(node);
      case 'current':
        return this.checkCurrent(node);
      case 'access': {
        const base = this.check(node.target);
        return this.applySteps(base, node.steps, this.originOf(node.target), 'the value');
      }
      case 'not': {
        const t = this.check(node.operand);
        this.expectBoolean(t, node.operand.span, '"not"');
        return T.boolean;
      }
      case 'negate': {
        const t = this.check(node.operand);
        if (!isLoose(t) && !isPrim(t, 'integer', 'decimal', 'duration')) {
          this.error(DiagnosticCode.TypeMismatch, `Unary "-" needs a number or a duration, found ${typeName(t)}`, node.operand.span, 'integer or decimal', typeName(t));
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
          this.error(DiagnosticCode.TypeMismatch, `"has null" needs a list, found ${typeName(t)}`, node.operand.span, 'list', typeName(t));
        }
        return T.boolean;
      }
      case 'isType':
        this.check(node.operand);
        return T.boolean;
      case 'call':
        return checkCall(this, node, node.args.map((a) => this.check(a)));
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
      this.error(DiagnosticCode.TypeMismatch, `${capitalize(what)} must be boolean, found ${typeName(t)}`, span, 'boolean', typeName(t));
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

  private checkRef(node: Node & { kind: 'ref' }): Type {
    let base: Type;
    let where: string;
    const name = node.root[0] ?? '';
    switch (node.source) {
      case 'event': {
        const schema = Object.hasOwn(this.scope.events, name) ? this.scope.events[name] : this.scope.open ? {} : undefined;
        if (!schema) {
          const known = Object.keys(this.scope.events);
          this.error(
            DiagnosticCode.UnknownEvent,
            `Unknown event "${name}"${known.length ? `: known events are ${known.join(', ')}` : ': no event is in scope'}`,
            node.rootSpan,
            known.length ? `one of ${known.join(', ')}` : 'an event in scope',
            name,
          );
          this.checkDefault(node, T.any);
          return T.any;
        }
        this.info.events.add(name);
        base = rootSchemaType(schema);
        where = `event ${name}`;
        break;
      }
      case 'action': {
        const schema = Object.hasOwn(this.scope.actions, name) ? this.scope.actions[name] : this.scope.open ? {} : undefined;
        if (!schema) {
          const known = Object.keys(this.scope.actions);
          this.error(
            DiagnosticCode.UnknownAction,
            `Unknown action "${name}"${known.length ? `: known actions are ${known.join(', ')}` : ': no custom action is in scope'}`,
            node.rootSpan,
            known.length ? `one of ${known.join(', ')}` : 'an action in scope',
            name,
          );
          this.checkDefault(node, T.any);
          return T.any;
        }
        this.info.actions.add(name);
        base = rootSchemaType(schema);
        where = `the response of action ${name}`;
        break;
      }
      case 'profile':
        base = rootSchemaType(this.scope.profile);
        where = 'the profile';
        break;
      case 'dataSource': {
        const group = node.root[1] ?? '';
        const ds = this.scope.dataSources;
        const groups = ds && Object.hasOwn(ds, name) ? ds[name] : undefined;
        if (ds && !groups) {
          this.error(DiagnosticCode.UnknownDataSource, `Unknown data source "${name}"`, node.rootSpan, Object.keys(ds).join(', '), name);
          return T.any;
        }
        const schema = groups && Object.hasOwn(groups, group) ? groups[group] : undefined;
        if (groups && !schema) {
          this.error(DiagnosticCode.UnknownDataSource, `Unknown field group "${group}" in data source "${name}"`, node.rootSpan, Object.keys(groups).join(', '), group);
          return T.any;
        }
        base = rootSchemaType(schema);
        where = `data source ${name}.${group}`;
        break;
      }
    }
    for (const p of node.params ?? []) this.check(p.value);
    const t = this.applySteps(base, node.steps, CURRENT_FOR[node.source], where);
    this.checkDefault(node, t);
    return t;
  }

  private checkDefault(node: Node & { kind: 'ref' }, fieldT: Type): void {
    const d = node.defaultValue;
    if (!d) return;
    if (d.kind === 'call') {
      this.error(
        DiagnosticCode.ParenthesesRequired,
        `A function call used as a default value must be in parentheses: defaultValue: (${this.source.slice(d.span.offset, d.span.offset + d.span.length)})`,
        d.span,
        '(function call)',
        'function call',
      );
    }
    const dt = this.check(d);
    if (!assignable(dt, fieldT)) {
      this.error(
        DiagnosticCode.InvalidDefault,
        `The default value must have the field's type: expected ${typeName(fieldT)}, found ${typeName(dt)}`,
        d.span,
        typeName(fieldT),
        typeName(dt),
      );
    }
  }

  /** Applies path steps, projecting fields over lists. */
  applySteps(start: Type, steps: readonly Step[], origin: CurrentField | undefined, where: string): Type {
    let t = start;
    let path = '';
    for (const step of steps) {
      t = step.kind === 'field' ? this.fieldStep(t, step, where, path) : this.methodStep(t, step, origin);
      this.info.stepTypes.set(step, t);
      const text = step.kind === 'field' ? step.name : this.source.slice(step.span.offset, step.span.offset + step.span.length).replace(/\s+/g, ' ');
      path = path ? `${path}.${text}` : text;
      if (t.kind === 'any' && step.kind === 'method') continue;
    }
    return t;
  }

  private fieldStep(t: Type, step: Step & { kind: 'field' }, where: string, path: string): Type {
    if (t.kind === 'list') {
      const inner = this.fieldStep(t.element, step, where, path);
      return inner.kind === 'list' ? inner : listOf(inner);
    }
    if (t.kind === 'any' || t.kind === 'null') return T.any;
    if (t.kind === 'primitive') {
      this.error(
        DiagnosticCode.UnknownField,
        `Cannot read field "${step.name}" of ${path || where}: it is ${typeName(t)}, not an object`,
        step.span,
        'object',
        typeName(t),
      );
      return T.any;
    }
    const r = fieldType(t, step.name);
    if (r.ok) return r.type;
    const at = path ? ` at ${path}` : '';
    this.error(
      DiagnosticCode.UnknownField,
      `Unknown field "${step.name}" in ${where}${at}${r.known.length ? `; known fields: ${r.known.slice(0, 20).join(', ')}` : ''}`,
      step.span,
      r.known.length ? `one of ${r.known.slice(0, 20).join(', ')}` : 'no field',
      step.name,
    );
    return T.any;
  }

  private methodStep(t: Type, step: Step & { kind: 'method' }, origin: CurrentField | undefined): Type {
    const argc = step.args.length;
    const arity = (min: number, max: number): boolean => {
      if (argc >= min && argc <= max) return true;
      const want = min === max ? `${min}` : `${min} to ${max}`;
      this.error(DiagnosticCode.ArgumentCount, `${step.name}() takes ${want} argument${max === 1 ? '' : 's'}, found ${argc}`, step.span, want, String(argc));
      for (const a of step.args) this.check(a);
      return false;
    };
    const needList = (): Type | undefined => {
      if (t.kind === 'list') return t.element;
      if (isLoose(t)) return T.any;
      this.error(DiagnosticCode.TypeMismatch, `${step.name}() applies to a list, found ${typeName(t)}`, step.span, 'list', typeName(t));
      return undefined;
    };
    switch (step.name) {
      case 'at': {
        if (!arity(1, 1)) return T.any;
        const element = needList();
        const it = this.check(step.args[0] as Node);
        if (!isLoose(it) && !isPrim(it, 'integer')) {
          this.error(DiagnosticCode.ArgumentType, `at() takes an integer index, found ${typeName(it)}`, (step.args[0] as Node).span, 'integer', typeName(it));
        }
        return element ?? T.any;
      }
      case 'all':
      case 'first':
      case 'last': {
        if (!arity(0, 1)) return T.any;
        const element = needList();
        const cond = step.args[0];
        if (cond) {
          this.frames.push({ element: element ?? T.any, expected: origin });
          try {
            this.expectBoolean(this.check(cond), cond.span, `the condition of ${step.name}()`);
          } finally {
            this.frames.pop();
          }
        }
        if (!element) return T.any;
        return step.name === 'all' ? t : element;
      }
      case 'entry': {
        if (!arity(1, 1)) return T.any;
        const kt = this.check(step.args[0] as Node);
        if (!isLoose(kt) && !isPrim(kt, 'string')) {
          this.error(DiagnosticCode.ArgumentType, `entry() takes a string key, found ${typeName(kt)}`, (step.args[0] as Node).span, 'string', typeName(kt));
        }
        if (t.kind === 'map') return t.value;
        if (t.kind === 'object') {
          const key = literalValue(step.args[0] as Node);
          if (typeof key === 'string') {
            const r = fieldType(t, key);
            if (r.ok) return r.type;
          }
          return T.any;
        }
        if (!isLoose(t)) this.error(DiagnosticCode.TypeMismatch, `entry() applies to a map, found ${typeName(t)}`, step.span, 'map', typeName(t));
        return T.any;
      }
      case 'firstEntryKey':
      case 'keys': {
        if (!arity(0, 0)) return T.any;
        if (!isLoose(t) && t.kind !== 'map' && t.kind !== 'object') {
          this.error(DiagnosticCode.TypeMismatch, `${step.name}() applies to a map, found ${typeName(t)}`, step.span, 'map', typeName(t));
        }
        return step.name === 'keys' ? listOf(T.string) : T.string;
      }
      default:
        this.error(DiagnosticCode.Syntax, `Unknown method ${step.name}()`, step.span);
        return T.any;
    }
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function checkExpression(source: string, ast: Node, scope: SchemaScope, expect: ExpectedType = 'any'): CheckResult {
  const c = new Checker(source, scope);
  const type = c.check(ast);
  if (c.diagnostics.length === 0) {
    if (expect === 'boolean' && !isLoose(type) && !isPrim(type, 'boolean')) {
      c.error(DiagnosticCode.WrongResultType, `A condition must be boolean, found ${typeName(type)}`, ast.span, 'boolean', typeName(type));
    }
    if (expect === 'dateTimeOnly' && !isLoose(type) && !isPrim(type, 'dateTimeOnly', 'dateTime')) {
      c.error(DiagnosticCode.WrongResultType, `A custom wait must be a dateTimeOnly (or dateTime), found ${typeName(type)}`, ast.span, 'dateTimeOnly', typeName(type));
    }
  }
  return { type, info: c.info, diagnostics: c.diagnostics };
}
