// A stored row that does not decode is an error, never a silent drop: where it is (table, row id,
// field), what was expected and what came.
import type { z } from 'zod';
import { ErrorCode, WaymarkError, type ErrorIssue } from '../../errors.ts';

const shown = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** The error for the JSON `column` of a stored row of `table` (row `id`) that failed its schema. */
export function undecodable(
  table: string,
  id: string,
  column: string,
  error: z.ZodError,
  stored: unknown,
): WaymarkError {
  const issues: ErrorIssue[] = error.issues.map((i) => {
    let at: unknown = stored;
    for (const key of i.path)
      at =
        typeof at === 'object' && at !== null
          ? (at as Record<PropertyKey, unknown>)[key as PropertyKey]
          : undefined;
    const raw = i as {
      expected?: unknown;
      values?: readonly unknown[];
      options?: readonly unknown[];
    };
    const listed = raw.values ?? raw.options;
    const expected = listed ? listed.map((x) => JSON.stringify(x)).join(' or ') : raw.expected;
    return {
      path: `${table}[${JSON.stringify(id)}].${column}${i.path.map((p) => `.${String(p)}`).join('')}`,
      message: i.message,
      ...(expected !== undefined ? { expected: String(expected) } : {}),
      received: shown(at),
    };
  });
  return new WaymarkError(
    ErrorCode.Internal,
    `the stored ${table} row "${id}" cannot be read: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    {
      issues,
      details: { table, id },
    },
  );
}

/** An error about one field of a stored row, outside any schema (kinds that disagree, a version from the future). */
export function badStoredField(
  table: string,
  id: string,
  field: string,
  message: string,
  expected: string,
  received: unknown,
): WaymarkError {
  const issue: ErrorIssue = {
    path: `${table}[${JSON.stringify(id)}].${field}`,
    message,
    expected,
    received: shown(received),
  };
  return new WaymarkError(
    ErrorCode.Internal,
    `the stored ${table} row "${id}" cannot be read: ${issue.path}: ${message}`,
    { issues: [issue], details: { table, id } },
  );
}
