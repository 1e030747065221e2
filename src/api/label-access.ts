// Object-level access labels on the server: what the caller of a request may see and change.
// An object whose labels the caller lacks does not exist for it (404 as for a missing one, absent
// from lists); putting or removing a label the caller does not hold is refused with the label named.
import type { FastifyRequest } from 'fastify';
import { labelsIn, mayAccessLabels } from '../access/policy.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { changedLabels, labelsOf } from '../model/labels.ts';
import { sandboxOf } from './context.ts';
import { principalOf } from './principal.ts';

/** Whether the request's caller may see an object with these labels (a body, a definition or the labels themselves). */
export type LabelFilter = (labels: readonly string[] | undefined) => boolean;

/** The caller's view: a predicate over labels, in the request's sandbox. */
export function labelFilter(req: FastifyRequest): LabelFilter {
  const principal = principalOf(req);
  const sandbox = sandboxOf(req);
  const held = labelsIn(principal, sandbox);
  if (held === '*') return () => true;
  return (labels) => mayAccessLabels(principal, sandbox, labels);
}

/** The same predicate over stored bodies and journey definitions. */
export const visibleBody = (filter: LabelFilter) => (body: unknown): boolean => filter(labelsOf(body));

/**
 * Refuses a change that adds or removes labels the caller does not hold: 403 naming them (the
 * caller sees the object, so naming its own labels tells nothing new).
 */
export function assertMayLabel(req: FastifyRequest, before: readonly string[], after: readonly string[]): void {
  const held = labelsIn(principalOf(req), sandboxOf(req));
  if (held === '*') return;
  const lacking = changedLabels(before, after).filter((l) => !held.has(l));
  if (lacking.length === 0) return;
  const list = lacking.map((l) => `"${l}"`).join(', ');
  throw new WaymarkError(ErrorCode.Forbidden, `you may not put or remove the access label${lacking.length > 1 ? 's' : ''} ${list}: your role does not hold ${lacking.length > 1 ? 'them' : 'it'}`, {
    issues: lacking.map((l) => ({ path: 'labels', message: `label "${l}" not held`, expected: 'a label your role holds', received: l })),
    details: { labels: lacking },
  });
}

/** The labels a request body asks for (before validation: the schema refuses malformed ones later). */
export const requestedLabels = (body: unknown): readonly string[] => labelsOf(body);
