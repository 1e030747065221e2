// Shared pieces of function implementations.
import { EvalError } from '../errors.ts';
import { normalizeInt } from '../parser.ts';
import type { Runtime } from '../runtime.ts';
import { MAX_BUILT_SIZE, spend } from '../runtime.ts';
import type { Type } from '../types.ts';
import { isLoose, listOf, T, typeName } from '../types.ts';
import type { ExprValue } from '../values.ts';
import type { CallSite } from './signature.ts';

export function fail(site: CallSite, message: string, code = 'invalid_argument'): never {
  throw new EvalError(code, message, site.span);
}

export const elementOf = (t: Type | undefined): Type =>
  t && t.kind === 'list' ? t.element : T.any;
export const sameAs =
  (i: number) =>
  (args: readonly Type[]): Type =>
    args[i] ?? T.any;
export const elementOfArg =
  (i: number) =>
  (args: readonly Type[]): Type =>
    elementOf(args[i]);

export function asList(v: ExprValue | undefined): readonly ExprValue[] {
  return Array.isArray(v) ? (v as readonly ExprValue[]) : [];
}

export function asIndex(v: ExprValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return undefined;
  return undefined;
}

export function checkSize(rt: Runtime, size: number, site: CallSite): void {
  spend(rt, size, site.span);
  if (size > MAX_BUILT_SIZE)
    fail(site, `Result too large (${size} > ${MAX_BUILT_SIZE})`, 'too_large');
}

export function toInt(n: number): number | bigint {
  return Number.isSafeInteger(n) ? n : normalizeInt(BigInt(Math.trunc(n)));
}

/** A constant string argument, or undefined when the argument is computed. */
export function constString(site: CallSite, i: number): string | undefined {
  const v = site.constants[i];
  return typeof v === 'string' ? v : undefined;
}

/** Relation check: the item's type must match the list's item type. */
export function sameItemType(
  item: Type | undefined,
  list: Type | undefined,
): { message: string; expected: string; found: string } | undefined {
  if (
    !item ||
    !list ||
    isLoose(item) ||
    isLoose(list) ||
    list.kind !== 'list' ||
    isLoose(list.element)
  )
    return undefined;
  const e = list.element;
  if (item.kind === 'primitive' && e.kind === 'primitive') {
    const num = (n: string): boolean => n === 'integer' || n === 'decimal';
    if (item.name === e.name || (num(item.name) && num(e.name))) return undefined;
  }
  return {
    message: `the value (${typeName(item)}) must have the type of the list's items (${typeName(listOf(e))})`,
    expected: typeName(e),
    found: typeName(item),
  };
}

/** Relation check for functions whose documentation excludes listObject. */
export function notListObject(
  args: readonly Type[],
): { message: string; expected: string; found: string } | undefined {
  const t = args[0];
  if (t && t.kind === 'list' && (t.element.kind === 'object' || t.element.kind === 'map')) {
    return {
      message: 'a listObject is not supported here',
      expected: 'a list of values (listString, listInteger, ...)',
      found: 'listObject',
    };
  }
  return undefined;
}
