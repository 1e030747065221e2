import type { z } from 'zod';
import type { ErrorIssue } from '../errors.ts';

/** Zod's issues as our field-level issues: where, what was expected, what came. */
export function zodIssues(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((i) => {
    const raw = i as unknown as { expected?: unknown; received?: unknown; input?: unknown };
    return {
      path: i.path.map(String).join('.') || '(root)',
      message: i.message,
      ...(raw.expected !== undefined ? { expected: String(raw.expected) } : {}),
      ...(raw.input !== undefined
        ? {
            received:
              typeof raw.input === 'object'
                ? (JSON.stringify(raw.input)?.slice(0, 100) ?? 'undefined')
                : String(raw.input),
          }
        : raw.expected !== undefined
          ? { received: 'nothing' }
          : {}),
    };
  });
}
