// Access labels (AJO's object-level access control): journeys, content templates, fragments,
// audiences and channel configurations may carry labels; a role lists the labels its holders may
// see and change (src/access/policy.ts mayAccessLabels). Pure.
import { z } from 'zod';

export const MAX_LABELS = 20;
export const labelSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'lowercase letters, digits and - (at most 40, starting with a letter or digit)',
  );

export const labelsSchema = z
  .array(labelSchema)
  .max(MAX_LABELS)
  .refine((ls) => new Set(ls).size === ls.length, { message: 'each label once' })
  .optional()
  .meta({
    title: 'Access labels',
    description: 'Only people whose role holds every one of these labels see and change it.',
  });

/** The stored kinds that carry labels (journeys on their definition, the others on their spec). */
export const LABELLED_KINDS = [
  'journey',
  'contentTemplate',
  'fragment',
  'audience',
  'channelConfiguration',
  'offer',
  'decisionPolicy',
  'landingPage',
] as const;
const labelled = new Set<string>(LABELLED_KINDS);
export const isLabelledKind = (kind: string): boolean => labelled.has(kind);

/** The labels of a stored body or journey definition ([] when it has none or they are malformed). */
export function labelsOf(body: unknown): readonly string[] {
  const ls =
    body !== null && typeof body === 'object' ? (body as { labels?: unknown }).labels : undefined;
  return Array.isArray(ls) ? ls.filter((l): l is string => typeof l === 'string') : [];
}

/** Every label any version of a journey carries: a label on the live version hides it as much as one on the draft. */
export function journeyLabels(versions: Iterable<{ readonly definition: unknown }>): string[] {
  const out = new Set<string>();
  for (const v of versions) for (const l of labelsOf(v.definition)) out.add(l);
  return [...out];
}

/** journeyLabels of every journey among these versions (of a sandbox), by journey id. */
export function journeyLabelsById(
  versions: Iterable<{ readonly journeyId: string; readonly definition: unknown }>,
): Map<string, string[]> {
  const byId = new Map<string, Array<{ definition: unknown }>>();
  for (const v of versions) byId.set(v.journeyId, [...(byId.get(v.journeyId) ?? []), v]);
  return new Map([...byId].map(([id, vs]) => [id, journeyLabels(vs)]));
}

/** The labels one side has and the other lacks, both ways: what a change adds or removes. */
export function changedLabels(before: readonly string[], after: readonly string[]): string[] {
  const b = new Set(before);
  const a = new Set(after);
  return [...new Set([...after.filter((l) => !b.has(l)), ...before.filter((l) => !a.has(l))])];
}
