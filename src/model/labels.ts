// Access labels (AJO's object-level access control): journeys, content templates, fragments,
// audiences and channel configurations may carry labels; a role lists the labels its holders may
// see and change (src/access/policy.ts mayAccessLabels). Pure.
import { z } from 'zod';

export const MAX_LABELS = 20;
export const labelSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and - (at most 40, starting with a letter or digit)');

export const labelsSchema = z.array(labelSchema)
  .max(MAX_LABELS)
  .refine((ls) => new Set(ls).size === ls.length, { message: 'each label once' })
  .optional()
  .meta({ title: 'Access labels', description: 'Only people whose role holds every one of these labels see and change it.' });

/** The stored kinds that carry labels (journeys on their definition, the others on their spec). */
export const LABELLED_KINDS = ['journey', 'contentTemplate', 'fragment', 'audience', 'channelConfiguration'] as const;
const labelled = new Set<string>(LABELLED_KINDS);
export const isLabelledKind = (kind: string): boolean => labelled.has(kind);

/** The labels of a stored body or journey definition ([] when it has none or they are malformed). */
export function labelsOf(body: unknown): readonly string[] {
  const ls = body !== null && typeof body === 'object' ? (body as { labels?: unknown }).labels : undefined;
  return Array.isArray(ls) ? ls.filter((l): l is string => typeof l === 'string') : [];
}

/** The labels one side has and the other lacks, both ways: what a change adds or removes. */
export function changedLabels(before: readonly string[], after: readonly string[]): string[] {
  const b = new Set(before);
  const a = new Set(after);
  return [...new Set([...after.filter((l) => !b.has(l)), ...before.filter((l) => !a.has(l))])];
}
