// Function signatures: parameter patterns, overloads, and the shared shape of every function.
import type { Span } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import type { PrimitiveName, Type } from '../types.ts';
import { isPrim, typeName } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { DateOnly, DateTime, DateTimeOnly, Duration, isObject } from '../values.ts';

/** A parameter pattern: a primitive, 'number' (integer or decimal), 'list', 'list<prim>', 'listObject', 'any'. */
export type Pattern =
  PrimitiveName | 'number' | 'list' | 'listObject' | 'any' | `list<${PrimitiveName | 'number'}>`;

export interface Param {
  readonly name: string;
  readonly type: Pattern;
  readonly optional?: boolean;
  /** Must be a literal (after removing parentheses): e.g. inAudience's audience name. */
  readonly constant?: boolean;
}

export interface CallSite {
  readonly span: Span;
  /** Static types of the arguments. */
  readonly argTypes: readonly Type[];
  /** Literal argument values when known at compile time. */
  readonly constants: readonly (ExprValue | undefined)[];
}

export type Impl = (args: ExprValue[], rt: Runtime, site: CallSite) => ExprValue;

export interface ValidationIssue {
  readonly message: string;
  /** Index of the offending argument (the whole call when absent). */
  readonly arg?: number;
}

export interface Overload {
  readonly params: readonly Param[];
  /** Extra arguments of the last parameter's pattern. */
  readonly variadic?: boolean;
  readonly result:
    Type | ((args: readonly Type[], constants: readonly (ExprValue | undefined)[]) => Type);
  readonly impl: Impl;
  /** When false (default) a null argument makes the result null without calling impl. */
  readonly acceptsNull?: boolean;
  /** Static validation beyond types (constant formats): an error message, and the argument it is about. */
  readonly validate?: (site: CallSite) => ValidationIssue | undefined;
  /** Static relation between argument types (e.g. in(x, list) needs x of the list's item type). */
  readonly checkTypes?: (
    args: readonly Type[],
  ) => { readonly message: string; readonly expected: string; readonly found: string } | undefined;
}

export interface FunctionSpec {
  readonly name: string;
  readonly category:
    'audience' | 'aggregation' | 'conversion' | 'date' | 'list' | 'math' | 'string';
  readonly description: string;
  readonly overloads: readonly Overload[];
  /** Reads the evaluation context (clock, randomness, memberships): never folded at compile time. */
  readonly impure?: boolean;
}

export function matchesType(p: Pattern, t: Type): boolean {
  if (t.kind === 'any' || t.kind === 'null' || p === 'any') return true;
  if (p === 'number') return isPrim(t, 'integer', 'decimal');
  if (p === 'list') return t.kind === 'list';
  if (p === 'listObject')
    return (
      t.kind === 'list' &&
      (t.element.kind === 'object' || t.element.kind === 'map' || t.element.kind === 'any')
    );
  if (p.startsWith('list<')) {
    if (t.kind !== 'list') return false;
    const inner = p.slice(5, -1) as PrimitiveName | 'number';
    return matchesType(inner, t.element);
  }
  if (p === 'decimal') return isPrim(t, 'decimal', 'integer');
  return isPrim(t, p as PrimitiveName);
}

/** Exact match, used to prefer an overload when several fit (integer over decimal). */
export function exactType(p: Pattern, t: Type): boolean {
  if (t.kind === 'any' || t.kind === 'null') return false;
  if (p === 'decimal') return isPrim(t, 'decimal');
  return matchesType(p, t);
}

export function matchesValue(p: Pattern, v: ExprValue): boolean {
  if (v === null || p === 'any') return true;
  switch (p) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
    case 'decimal':
    case 'number':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'boolean':
      return typeof v === 'boolean';
    case 'dateOnly':
      return v instanceof DateOnly;
    case 'dateTimeOnly':
      return v instanceof DateTimeOnly;
    case 'dateTime':
      return v instanceof DateTime;
    case 'duration':
      return v instanceof Duration;
    case 'list':
      return Array.isArray(v);
    case 'listObject':
      return Array.isArray(v) && v.every((x) => x === null || isObject(x));
    default: {
      if (!Array.isArray(v)) return false;
      const inner = p.slice(5, -1) as Pattern;
      return (v as readonly ExprValue[]).every((x) => matchesValue(inner, x));
    }
  }
}

export function signatureText(name: string, o: Overload): string {
  const params = o.params.map((p, i) => {
    const text = `${p.name}: ${p.type}${o.variadic && i === o.params.length - 1 ? '...' : ''}`;
    return p.optional ? `[${text}]` : text;
  });
  const result = typeof o.result === 'function' ? 'depends on arguments' : typeName(o.result);
  return `${name}(${params.join(', ')}): ${result}`;
}

export function arityMatches(o: Overload, count: number): boolean {
  const required = o.params.filter((p) => !p.optional).length;
  if (count < required) return false;
  return o.variadic ? true : count <= o.params.length;
}

export function paramAt(o: Overload, i: number): Param | undefined {
  if (i < o.params.length) return o.params[i];
  return o.variadic ? o.params[o.params.length - 1] : undefined;
}
