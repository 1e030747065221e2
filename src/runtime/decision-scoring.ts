// A pluggable scoring endpoint: a decision policy's strategy may rank its eligible offers by the
// scores a custom action answers. The runtime calls the action (allowed hosts, secrets, timeout,
// capping: the custom actions' client) with the offers and the profile, and hands the scores to the
// pure ranker (src/offers). A call that fails, times out or answers something unreadable leaves the
// strategy ranked by priority, and the decision says so.
//
// The protocol: the action's variable payload fields are filled by their path —
//   offers      (list of objects) the eligible offers: { id, name, priority, tags, attributes }
//   profileId   (string)          the profile's id ('' when anonymous)
//   placement, policy (string)    the placement and the policy deciding
//   profile.<p> (any scalar type)  the profile attribute at path p
//   context.<k> (any scalar type)  the request context's value k
// and it answers { "scores": { "<offerId>": number, ... } } (or a list of { "id", "score" }).
import { randomUUID } from 'node:crypto';
import type { DecisionPolicy } from '../model/decision-policy.ts';
import type { Offer } from '../model/offer.ts';
import type { ScoringOutcome } from '../offers/index.ts';
import type { CatalogCache } from './catalog.ts';
import type { ActionInvoker } from './ports.ts';

/** A decision waits at most this long for a scoring endpoint (less when the action's timeout is). */
export const SCORING_TIMEOUT_MS = 5_000;

export interface ScoringRequest {
  readonly sandbox: string;
  readonly policy: DecisionPolicy;
  readonly profileId: string;
  readonly profile: unknown;
  readonly context: Readonly<Record<string, unknown>>;
}

export interface ScoringDeps {
  readonly catalogs: CatalogCache;
  readonly invokeAction: ActionInvoker;
}

function at(root: unknown, path: string): unknown {
  let node = root;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** The scores an answer gives, or why it cannot be read. */
export function readScores(body: unknown): ScoringOutcome {
  const scores = at(body, 'scores');
  const out = new Map<string, number>();
  const put = (id: unknown, score: unknown): string | null => {
    if (typeof id !== 'string') return 'an entry of "scores" has no offer id';
    if (typeof score !== 'number' || !Number.isFinite(score))
      return `the score of "${id}" is not a number`;
    out.set(id, score);
    return null;
  };
  if (Array.isArray(scores)) {
    for (const e of scores) {
      const err = put(at(e, 'id') ?? at(e, 'offerId'), at(e, 'score'));
      if (err !== null) return { ok: false, message: err };
    }
  } else if (typeof scores === 'object' && scores !== null) {
    for (const [id, score] of Object.entries(scores)) {
      const err = put(id, score);
      if (err !== null) return { ok: false, message: err };
    }
  } else return { ok: false, message: 'the answer has no "scores" object' };
  return { ok: true, scores: out };
}

/** Calls one scoring action for one strategy's offers. */
export async function scoreOffers(
  deps: ScoringDeps,
  req: ScoringRequest,
  actionName: string,
  offers: readonly Offer[],
): Promise<ScoringOutcome> {
  if (offers.length === 0) return { ok: true, scores: new Map() };
  const action = (await deps.catalogs.get(req.sandbox)).actions.get(actionName);
  if (!action) return { ok: false, message: `the custom action "${actionName}" does not exist` };
  const parameters: Record<string, unknown> = {};
  for (const f of action.payload) {
    if (f.kind !== 'variable') continue;
    if (f.path === 'offers')
      parameters[f.path] = offers.map((o) => ({
        id: o.id,
        name: o.name,
        priority: o.priority,
        tags: o.tags,
        attributes: o.attributes,
      }));
    else if (f.path === 'profileId') parameters[f.path] = req.profileId;
    else if (f.path === 'placement') parameters[f.path] = req.policy.placement;
    else if (f.path === 'policy') parameters[f.path] = req.policy.id;
    else if (f.path.startsWith('profile.')) parameters[f.path] = at(req.profile, f.path.slice(8));
    else if (f.path.startsWith('context.')) parameters[f.path] = at(req.context, f.path.slice(8));
  }
  try {
    const r = await deps.invokeAction({
      sandbox: req.sandbox,
      action,
      parameters,
      timeoutMs: Math.min(action.timeoutMs, SCORING_TIMEOUT_MS),
      idempotencyKey: `decision-${randomUUID()}`,
    });
    if (!r.ok)
      return { ok: false, message: `the scoring endpoint failed (${r.code}): ${r.message}` };
    return readScores(r.body);
  } catch (e) {
    return {
      ok: false,
      message: `the scoring endpoint failed: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
