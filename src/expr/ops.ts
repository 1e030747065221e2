// Run-time operators: 64-bit integer arithmetic (numbers while safe, bigints beyond), decimal
// arithmetic, date + duration, string concatenation. Division by zero gives 0.
import type { Span } from './errors.ts';
import { EvalError } from './errors.ts';
import { normalizeInt } from './parser.ts';
import type { ExprValue } from './values.ts';
import { DateTime, DateTimeOnly, Duration, formatValue, isTemporal } from './values.ts';

type Num = number | bigint;
const isInt = (v: unknown): v is Num =>
  typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
const isNum = (v: unknown): v is Num => typeof v === 'number' || typeof v === 'bigint';

export function intAdd(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeInt(BigInt(a) + BigInt(b));
}

export function intSub(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeInt(BigInt(a) - BigInt(b));
}

export function intMul(a: Num, b: Num): Num {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normalizeInt(BigInt(a) * BigInt(b));
}

/** Integer division truncates (Java semantics); division by zero gives 0. */
export function intDiv(a: Num, b: Num): Num {
  if (b === 0 || b === 0n) return 0;
  if (typeof a === 'number' && typeof b === 'number') return Math.trunc(a / b) || 0;
  return normalizeInt(BigInt(a) / BigInt(b));
}

export function intMod(a: Num, b: Num): Num {
  if (b === 0 || b === 0n) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a % b || 0;
  return normalizeInt(BigInt(a) % BigInt(b));
}

export const decAdd = (a: Num, b: Num): number => Number(a) + Number(b);
export const decSub = (a: Num, b: Num): number => Number(a) - Number(b);
export const decMul = (a: Num, b: Num): number => Number(a) * Number(b);
export const decDiv = (a: Num, b: Num): number => (Number(b) === 0 ? 0 : Number(a) / Number(b));
export const decMod = (a: Num, b: Num): number => (Number(b) === 0 ? 0 : Number(a) % Number(b));

export function addDuration(a: ExprValue, d: Duration, sign: 1 | -1, span: Span): ExprValue {
  const delta = sign * d.ms;
  if (a instanceof DateTime) return checkedDate(new DateTime(a.ms + delta, a.zone), span);
  if (a instanceof DateTimeOnly) return checkedDate(new DateTimeOnly(a.ms + delta), span);
  if (a instanceof Duration) return new Duration(a.ms + delta);
  throw new EvalError('type_error', `Cannot add a duration to ${describeValue(a)}`, span);
}

function checkedDate<T extends DateTime | DateTimeOnly>(d: T, span: Span): T {
  if (!Number.isFinite(d.ms) || Math.abs(d.ms) > 8.64e15)
    throw new EvalError('conversion_error', 'Date out of range', span);
  return d;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'decimal';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  if (isTemporal(v)) return v.kind;
  if (Array.isArray(v)) return 'list';
  return 'object';
}

export type Arith = '+' | '-' | '*' | '/' | '%';

/** Arithmetic when the static types were not known. */
export function dynamicArith(
  op: Arith,
  a: ExprValue,
  b: ExprValue,
  span: Span,
  leftDecimal = false,
  rightDecimal = false,
): ExprValue {
  if (a === null || b === null) return null;
  if (op === '+' && (typeof a === 'string' || typeof b === 'string'))
    return formatValue(a, leftDecimal) + formatValue(b, rightDecimal);
  if (isNum(a) && isNum(b)) {
    const ints = isInt(a) && isInt(b) && !leftDecimal && !rightDecimal;
    switch (op) {
      case '+':
        return ints ? intAdd(a, b) : decAdd(a, b);
      case '-':
        return ints ? intSub(a, b) : decSub(a, b);
      case '*':
        return ints ? intMul(a, b) : decMul(a, b);
      case '/':
        return ints ? intDiv(a, b) : decDiv(a, b);
      case '%':
        return ints ? intMod(a, b) : decMod(a, b);
    }
  }
  if ((op === '+' || op === '-') && b instanceof Duration)
    return addDuration(a, b, op === '+' ? 1 : -1, span);
  throw new EvalError(
    'type_error',
    `Cannot apply "${op}" to ${describeValue(a)} and ${describeValue(b)}`,
    span,
  );
}
