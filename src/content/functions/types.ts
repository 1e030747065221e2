// The shape of a personalization function: positional arguments in, a value out. Pure.
import type { RenderState } from '../render-state.ts';

export interface PersonalizationFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: (args: readonly unknown[], state: RenderState) => unknown;
}

export type FunctionTable = Readonly<Record<string, PersonalizationFunction>>;

export const fn = (
  minArgs: number,
  maxArgs: number,
  call: (args: readonly unknown[], state: RenderState) => unknown,
): PersonalizationFunction => ({ minArgs, maxArgs, call });

export const isMissing = (v: unknown): boolean => v === undefined || v === null;
/** Text of a value as templates show it: missing -> '', arrays joined with ','. */
export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(str).join(',');
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v) ?? '';
}
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.NaN;
}
export const arr = (v: unknown): readonly unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Own-property read, never the prototype chain. */
export function own(obj: unknown, key: string): unknown {
  if (!isRecord(obj) && !Array.isArray(obj)) return undefined;
  return Object.prototype.hasOwnProperty.call(obj, key)
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}
