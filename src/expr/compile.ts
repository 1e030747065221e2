// Compiles a checked AST to closures: evaluation walks no syntax and parses nothing.
import type { Node, Step } from './ast.ts';
import type { CheckInfo } from './checker.ts';
import { compileBinary } from './compile-binary.ts';
import { compileCall } from './compile-call.ts';
import { converterFor } from './convert.ts';
import { EvalError } from './errors.ts';
import { normalizeInt } from './parser.ts';
import type { EvaluationContext, Evaluator, Runtime } from './runtime.ts';
import { own, spend, WORK_BUDGET } from './runtime.ts';
import type { Type } from './types.ts';
import { isPrim, T } from './types.ts';
import type { ExprValue } from './values.ts';
import { Duration, fromJson, isObject } from './values.ts';

type StepFn = (v: unknown, rt: Runtime) => unknown;

/** The context constant subtrees are folded in: they read nothing from it. */
const FOLD_CONTEXT: EvaluationContext = {
  events: {},
  profile: null,
  actions: {},
  audiences: {},
  now: 0,
  random: () => 0,
};

export class Compiler {
  constructor(readonly info: CheckInfo) {}

  typeOf(node: Node): Type {
    return this.info.types.get(node) ?? T.any;
  }

  compile(node: Node): Evaluator {
    const f = this.compileNode(node);
    if (node.kind === 'literal' || !this.isConstant(node)) return f;
    // Constant folding: a subtree that reads no field, loop variable, clock, randomness or
    // membership is evaluated once here (unless it fails: then it fails at run time, with its position).
    try {
      const value = f({ ctx: FOLD_CONTEXT, frames: [], budget: WORK_BUDGET });
      return () => value;
    } catch {
      return f;
    }
  }

  private readonly constants = new Map<Node, boolean>();

  private isConstant(node: Node): boolean {
    const known = this.constants.get(node);
    if (known !== undefined) return known;
    const result = this.constantNode(node);
    this.constants.set(node, result);
    return result;
  }

  private constantNode(node: Node): boolean {
    switch (node.kind) {
      case 'literal':
        return true;
      case 'ref':
      case 'current':
        return false;
      case 'list':
        return node.items.every((i) => this.isConstant(i));
      case 'group':
        return this.isConstant(node.expr);
      case 'access':
        return (
          this.isConstant(node.target) &&
          node.steps.every((s) => s.kind === 'field' || s.args.every((a) => this.isConstant(a)))
        );
      case 'not':
      case 'negate':
      case 'isNull':
      case 'hasNull':
      case 'isType':
        return this.isConstant(node.operand);
      case 'binary':
        return this.isConstant(node.left) && this.isConstant(node.right);
      case 'call': {
        const plan = this.info.calls.get(node);
        return !!plan && !plan.spec.impure && node.args.every((a) => this.isConstant(a));
      }
      case 'if':
        return (
          this.isConstant(node.cond) && this.isConstant(node.then) && this.isConstant(node.else)
        );
    }
  }

  private compileNode(node: Node): Evaluator {
    switch (node.kind) {
      case 'literal': {
        const lit = node.literal;
        const value: ExprValue = lit.type === 'null' ? null : lit.value;
        return () => value;
      }
      case 'list': {
        const items = node.items.map((i) => this.compile(i));
        const decimal = isPrim(
          this.typeOf(node).kind === 'list'
            ? (this.typeOf(node) as Type & { kind: 'list' }).element
            : T.any,
          'decimal',
        );
        return (rt) =>
          items.map((f) => {
            const v = f(rt);
            return decimal && typeof v === 'bigint' ? Number(v) : v;
          });
      }
      case 'group':
        return this.compile(node.expr);
      case 'ref':
        return this.compileRef(node);
      case 'current': {
        const index = this.info.frames.get(node) ?? 0;
        const convert = converterFor(this.typeOf(node));
        return convert ? (rt) => convert(rt.frames[index]) : (rt) => fromJson(rt.frames[index]);
      }
      case 'access': {
        const target = this.compile(node.target);
        return this.compilePath(target, node.steps, this.typeOf(node));
      }
      case 'not': {
        const f = this.compile(node.operand);
        return (rt) => f(rt) !== true;
      }
      case 'negate': {
        const f = this.compile(node.operand);
        const span = node.span;
        return (rt) => {
          const v = f(rt);
          if (v === null) return null;
          if (typeof v === 'number') return v === 0 ? 0 : -v;
          if (typeof v === 'bigint') return normalizeInt(-v);
          if (v instanceof Duration) return new Duration(-v.ms);
          throw new EvalError('type_error', 'Unary "-" needs a number or a duration', span);
        };
      }
      case 'binary':
        return compileBinary(this, node);
      case 'isNull': {
        const f = this.compile(node.operand);
        return node.negated ? (rt) => f(rt) !== null : (rt) => f(rt) === null;
      }
      case 'hasNull': {
        const f = this.compile(node.operand);
        return (rt) => {
          const v = f(rt);
          return Array.isArray(v) && v.some((x) => x === null || x === undefined);
        };
      }
      case 'isType': {
        const f = this.compile(node.operand);
        const t = this.typeOf(node.operand);
        const test = node.test;
        const staticDecimal = isPrim(t, 'decimal');
        const staticInteger = isPrim(t, 'integer');
        return (rt) => {
          const v = f(rt);
          if (typeof v !== 'number' && typeof v !== 'bigint') return false;
          if (test === 'numeric') return true;
          const integer =
            staticInteger || (!staticDecimal && (typeof v === 'bigint' || Number.isInteger(v)));
          return test === 'integer' ? integer : !integer;
        };
      }
      case 'call':
        return compileCall(this, node);
      case 'if': {
        const c = this.compile(node.cond);
        const a = this.compile(node.then);
        const b = this.compile(node.else);
        if (isPrim(this.typeOf(node), 'decimal')) {
          return (rt) => {
            const v = c(rt) === true ? a(rt) : b(rt);
            return typeof v === 'bigint' ? Number(v) : v;
          };
        }
        return (rt) => (c(rt) === true ? a(rt) : b(rt));
      }
    }
  }

  private compileRef(node: Node & { kind: 'ref' }): Evaluator {
    const [a = '', b = ''] = node.root;
    let root: Evaluator;
    switch (node.source) {
      case 'event':
        root = (rt) => own(rt.ctx.events, a) as ExprValue;
        break;
      case 'action':
        root = (rt) => own(rt.ctx.actions, a) as ExprValue;
        break;
      case 'profile':
        root = (rt) => rt.ctx.profile as ExprValue;
        break;
      case 'dataSource':
        root = (rt) => own(own(rt.ctx.dataSources, a), b) as ExprValue;
        break;
    }
    const path = this.compilePath(root, node.steps, this.typeOf(node));
    if (!node.defaultValue) return path;
    const fallback = this.compile(node.defaultValue);
    return (rt) => {
      const v = path(rt);
      return v === null ? fallback(rt) : v;
    };
  }

  compilePath(target: Evaluator, steps: readonly Step[], resultType: Type): Evaluator {
    const fns = steps.map((s) => this.compileStep(s));
    const convert = converterFor(resultType);
    const n = fns.length;
    return (rt) => {
      let v: unknown = target(rt);
      for (let i = 0; i < n && v !== null && v !== undefined; i++) v = (fns[i] as StepFn)(v, rt);
      if (v === undefined || v === null) return null;
      return convert ? convert(v) : fromJson(v);
    };
  }

  private compileStep(step: Step): StepFn {
    if (step.kind === 'field') {
      const name = step.name;
      const span = step.span;
      return (v, rt) => {
        if (!Array.isArray(v)) return own(v, name);
        spend(rt, v.length, span);
        const out: unknown[] = [];
        for (const e of v) {
          const x = own(e, name);
          if (Array.isArray(x)) out.push(...(x as unknown[]));
          else out.push(x ?? null);
        }
        return out;
      };
    }
    const args = step.args.map((a) => this.compile(a));
    const span = step.span;
    switch (step.name) {
      case 'at': {
        const index = args[0] as Evaluator;
        return (v, rt) => {
          if (!Array.isArray(v)) return null;
          const i = index(rt);
          return typeof i === 'number' && i >= 0 ? (v[i] ?? null) : null;
        };
      }
      case 'all':
      case 'first':
      case 'last': {
        const cond = args[0];
        const which = step.name;
        if (!cond) {
          if (which === 'all') return (v) => (Array.isArray(v) ? v : null);
          if (which === 'first') return (v) => (Array.isArray(v) ? (v[0] ?? null) : null);
          return (v) => (Array.isArray(v) ? (v[v.length - 1] ?? null) : null);
        }
        // No try/finally: a throw abandons the whole evaluation, and its frames with it.
        const test = (e: unknown, rt: Runtime): boolean => {
          rt.frames.push(e);
          const ok = cond(rt) === true;
          rt.frames.pop();
          return ok;
        };
        return (v, rt) => {
          if (!Array.isArray(v)) return null;
          spend(rt, v.length, span);
          if (which === 'all') return v.filter((e) => test(e, rt));
          if (which === 'first') {
            for (const e of v) if (test(e, rt)) return e;
            return null;
          }
          for (let i = v.length - 1; i >= 0; i--) if (test(v[i], rt)) return v[i];
          return null;
        };
      }
      case 'entry': {
        const key = args[0] as Evaluator;
        return (v, rt) => {
          const k = key(rt);
          return typeof k === 'string' ? own(v, k) : null;
        };
      }
      case 'firstEntryKey':
        return (v) => (isObject(v) ? (Object.keys(v)[0] ?? null) : null);
      case 'keys':
        return (v) => (isObject(v) ? Object.keys(v) : null);
      default:
        throw new EvalError('internal_error', `Unknown method ${step.name}`, span);
    }
  }
}
