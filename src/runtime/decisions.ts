// Decisions at run time: reads the policy, the sandbox's offers (compiled once per change), the
// profile, its audience memberships and the cap counters, asks the pure core (src/offers), then
// records each proposition with its counters in one conditional write. A proposition refused because a
// concurrent decision took the cap's last slot marks that offer exhausted and the decision is made
// again, so caps hold exactly under concurrency.
import { notFound, validationFailed } from '../errors.ts';
import type { DecisionPolicy } from '../model/decision-policy.ts';
import type { Offer } from '../model/offer.ts';
import type { Profile } from '../model/profile.ts';
import {
  OfferCatalog,
  capKeyString,
  capKeys,
  decide,
  describeExclusion,
  offersToScore,
} from '../offers/index.ts';
import type {
  CapKey,
  DecisionResult,
  Proposition,
  ScoringNote,
  ScoringOutcome,
} from '../offers/index.ts';
import { scoreOffers } from './decision-scoring.ts';
import { offerReport } from './offer-report.ts';
import type { OfferReport } from './offer-report.ts';
export type { OfferReport } from './offer-report.ts';
import type { ActionInvoker } from './ports.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { DecidedOffer } from '../content/decisions.ts';

export interface DecisionRequest {
  readonly policy: string;
  readonly profileId?: string;
  readonly identity?: { readonly namespace: string; readonly id: string };
  readonly context?: Readonly<Record<string, unknown>>;
  /** Decide without recording anything nor counting against caps. */
  readonly dryRun?: boolean;
  /** Also explain every excluded offer; records nothing. */
  readonly simulate?: boolean;
  /** The message the propositions are made for (content rendering). */
  readonly messageId?: string;
  /** Offers proposed earlier in the same request (another decision block): not proposed again. */
  readonly alreadyProposed?: ReadonlySet<string>;
}

export interface DecisionAnswer {
  readonly policy: string;
  readonly placement: string;
  readonly profileId: string | null;
  readonly recorded: boolean;
  readonly fallback: boolean;
  readonly propositions: readonly Proposition[];
  readonly excluded?: readonly { offerId: string; name: string; reason: string; kind: string }[];
  /** How each strategy ranked by a scoring endpoint was ranked (by its scores, or by priority when the call failed). */
  readonly scoring: readonly ScoringNote[];
}

/** At most this many re-decisions after lost races for a cap's last slots. */
const MAX_ROUNDS = 64;

export class DecisionService {
  private readonly catalogs = new Map<string, { signature: string; catalog: OfferCatalog }>();

  /** `invokeAction` calls the scoring endpoints (custom actions) some strategies rank by. */
  constructor(
    private readonly rt: RuntimeParts,
    private readonly invokeAction?: ActionInvoker,
  ) {}

  /** The sandbox's offers, compiled once per change of any of them. */
  async catalog(sandbox: string): Promise<OfferCatalog> {
    const stored = await this.rt.store.listObjects<Offer>(sandbox, 'offer');
    const signature = stored.map((o) => `${o.key}@${o.revision}`).join('|');
    const hit = this.catalogs.get(sandbox);
    if (hit && hit.signature === signature) return hit.catalog;
    const catalog = new OfferCatalog(stored.map((o) => o.body));
    this.catalogs.set(sandbox, { signature, catalog });
    return catalog;
  }

  async policy(sandbox: string, id: string): Promise<DecisionPolicy> {
    const p = await this.rt.store.getObject<DecisionPolicy>(sandbox, 'decisionPolicy', id);
    if (!p) throw notFound('decision policy', id);
    return p.body;
  }

  private async profile(sandbox: string, req: DecisionRequest): Promise<Profile | null> {
    if (req.profileId !== undefined) {
      const p = await this.rt.store.getProfile(sandbox, req.profileId);
      if (!p) throw notFound('profile', req.profileId);
      return p;
    }
    if (req.identity !== undefined) {
      const pid = await this.rt.store.findProfileId(
        sandbox,
        req.identity.namespace,
        req.identity.id,
      );
      const p = pid === null ? null : await this.rt.store.getProfile(sandbox, pid);
      if (!p) throw notFound('profile', `${req.identity.namespace}:${req.identity.id}`);
      return p;
    }
    return null;
  }

  /** Decides for one profile (or, without one, anonymously: no profile attributes, no per-profile caps). */
  async decide(sandbox: string, req: DecisionRequest): Promise<DecisionAnswer> {
    const profile = await this.profile(sandbox, req);
    return this.decideFor(sandbox, req, profile);
  }

  async decideFor(
    sandbox: string,
    req: DecisionRequest,
    profile: Profile | null,
  ): Promise<DecisionAnswer> {
    const [policy, catalog] = await Promise.all([
      this.policy(sandbox, req.policy),
      this.catalog(sandbox),
    ]);
    const now = this.rt.clock.now();
    const profileId = profile?.id ?? '';
    if (profileId === '' && !req.dryRun && !req.simulate && hasProfileCaps(catalog))
      throw validationFailed('a decision that counts against per-profile caps needs a profile', [
        { path: 'profileId', message: 'give profileId or identity', expected: 'a profile' },
      ]);
    const memberships = profile ? await this.rt.store.profileMemberships(sandbox, profile.id) : [];
    const audiences: Record<string, 'realized' | 'exited'> = {};
    for (const m of memberships) audiences[m.audience] = m.status;
    const counts = await this.counts(sandbox, catalog, profileId, now);
    const exhausted = new Set<string>();
    const base = {
      profileId,
      profile: profile?.attributes ?? {},
      context: req.context ?? {},
      audiences,
      now,
      counts: (k: CapKey): number =>
        exhausted.has(k.offerId) ? Number.POSITIVE_INFINITY : (counts.get(capKeyString(k)) ?? 0),
    };
    const scores = await this.scores(sandbox, policy, catalog, {
      ...base,
      context: req.context ?? {},
    });
    const scored = { ...base, scores };
    if (req.dryRun || req.simulate) {
      const r = decide(policy, catalog, {
        ...scored,
        explain: req.simulate === true,
        ...(req.alreadyProposed ? { alreadyProposed: req.alreadyProposed } : {}),
      });
      return answer(r, profile, false, req.simulate === true);
    }
    const kept: Proposition[] = [];
    let fallback = false;
    let scoring: readonly ScoringNote[] = [];
    for (let round = 0; round < MAX_ROUNDS && kept.length < policy.count; round++) {
      const taken = new Set([...(req.alreadyProposed ?? []), ...kept.map((p) => p.offerId)]);
      const next = { ...policy, count: policy.count - kept.length };
      const r = decide(kept.length > 0 ? withoutFallback(next) : next, catalog, {
        ...scored,
        alreadyProposed: taken,
      });
      if (round === 0) scoring = r.scoring;
      if (r.propositions.length === 0) break;
      let lost = false;
      for (const p of r.propositions) {
        const ok = await this.rt.store.recordProposition(
          sandbox,
          {
            offerId: p.offerId,
            policyId: policy.id,
            profileId,
            messageId: req.messageId ?? null,
            fallback: p.strategy === 'fallback',
            at: now,
          },
          p.capKeys,
        );
        if (!ok) {
          exhausted.add(p.offerId);
          lost = true;
          break;
        }
        kept.push({ ...p, rank: kept.length + 1 });
        if (p.strategy === 'fallback') fallback = true;
      }
      if (!lost) break;
    }
    return {
      policy: policy.id,
      placement: policy.placement,
      profileId: profile?.id ?? null,
      recorded: true,
      fallback,
      propositions: kept,
      scoring,
    };
  }

  /** Calls the scoring endpoint of each strategy ranked by one, with its eligible offers. */
  private async scores(
    sandbox: string,
    policy: DecisionPolicy,
    catalog: OfferCatalog,
    base: Parameters<typeof offersToScore>[2],
  ): Promise<Map<number, ScoringOutcome>> {
    const out = new Map<number, ScoringOutcome>();
    const toScore = offersToScore(policy, catalog, base);
    await Promise.all(
      [...toScore].map(async ([index, s]) => {
        out.set(
          index,
          this.invokeAction === undefined
            ? { ok: false, message: 'custom actions cannot be called here' }
            : await scoreOffers(
                { catalogs: this.rt.catalogs, invokeAction: this.invokeAction },
                {
                  sandbox,
                  policy,
                  profileId: base.profileId,
                  profile: base.profile,
                  context: base.context,
                },
                s.action,
                s.offers,
              ),
        );
      }),
    );
    return out;
  }

  /**
   * For a message: decides each policy its content names for the profile, recorded with the message
   * id; an offer proposed by one policy is not proposed again by the next (no duplicates across
   * placements). A policy that does not exist renders nothing.
   */
  async forMessage(
    sandbox: string,
    profile: Profile | null,
    messageId: string,
    policies: readonly string[],
  ): Promise<Record<string, DecidedOffer[]>> {
    const out: Record<string, DecidedOffer[]> = {};
    const proposed = new Set<string>();
    for (const id of policies) {
      const exists = await this.rt.store.getObject(sandbox, 'decisionPolicy', id);
      if (!exists || profile === null) {
        out[id] = [];
        continue;
      }
      const a = await this.decideFor(
        sandbox,
        { policy: id, messageId, alreadyProposed: new Set(proposed) },
        profile,
      );
      out[id] = await this.asDecidedOffers(sandbox, a.propositions);
      for (const p of a.propositions) proposed.add(p.offerId);
    }
    return out;
  }

  /**
   * For a preview (the designer, a proof): the same decisions as a send, recorded nowhere and
   * counted against no cap. A stored profile is read; inline attributes decide anonymously.
   */
  async previewForMessage(
    sandbox: string,
    who: { readonly profileId: string } | { readonly attributes: unknown },
    policies: readonly string[],
  ): Promise<Record<string, DecidedOffer[]>> {
    const profile: Profile | null =
      'profileId' in who
        ? await this.rt.store.getProfile(sandbox, who.profileId)
        : {
            id: '',
            identities: [],
            attributes: (who.attributes ?? {}) as Record<string, unknown>,
            testProfile: true,
            createdAt: '',
            updatedAt: '',
          };
    return this.decideDry(sandbox, profile, policies);
  }

  /** Each policy's offers as a send would decide them (an offer once across them), nothing recorded. */
  private async decideDry(
    sandbox: string,
    profile: Profile | null,
    policies: readonly string[],
  ): Promise<Record<string, DecidedOffer[]>> {
    const out: Record<string, DecidedOffer[]> = {};
    const proposed = new Set<string>();
    for (const id of policies) {
      const exists = await this.rt.store.getObject(sandbox, 'decisionPolicy', id);
      if (!exists) {
        out[id] = [];
        continue;
      }
      const a = await this.decideFor(
        sandbox,
        { policy: id, dryRun: true, alreadyProposed: new Set(proposed) },
        profile,
      );
      out[id] = await this.asDecidedOffers(sandbox, a.propositions);
      for (const p of a.propositions) proposed.add(p.offerId);
    }
    return out;
  }

  /** Propositions as content reads them, an image asset's id resolved to its URL. */
  private async asDecidedOffers(
    sandbox: string,
    propositions: readonly Proposition[],
  ): Promise<DecidedOffer[]> {
    const out: DecidedOffer[] = [];
    for (const p of propositions) {
      const asset = p.representation.imageAsset;
      let imageUrl: string | undefined;
      if (asset !== undefined) {
        if (/^(https?:)?\/\//i.test(asset) || asset.startsWith('/')) imageUrl = asset;
        else {
          const a = await this.rt.store.getObject<{ url?: string }>(sandbox, 'asset', asset);
          imageUrl = a?.body.url;
        }
      }
      out.push({ ...asDecidedOffer(p), ...(imageUrl !== undefined ? { imageUrl } : {}) });
    }
    return out;
  }

  /** An offer's report: proposed, in messages, clicked, converted, by policy (offer-report.ts). */
  offerReport(sandbox: string, offerId: string): Promise<OfferReport> {
    return offerReport(this.rt, sandbox, offerId);
  }

  /**
   * For a landing page: as for a message when `record` and a profile is known (the proposition counts
   * against caps, with the page as the message); otherwise a dry run (a preview, an anonymous visit):
   * what the policy would propose, nothing recorded.
   */
  async forPage(
    sandbox: string,
    profile: Profile | null,
    pageId: string,
    policies: readonly string[],
    record: boolean,
  ): Promise<Record<string, DecidedOffer[]>> {
    if (record && profile !== null) return this.forMessage(sandbox, profile, pageId, policies);
    return this.decideDry(sandbox, profile, policies);
  }

  private async counts(
    sandbox: string,
    catalog: OfferCatalog,
    profileId: string,
    now: number,
  ): Promise<Map<string, number>> {
    const keys = catalog.offers.flatMap((o) =>
      o.offer.caps.length > 0 ? capKeys(o.offer, profileId, now) : [],
    );
    return keys.length === 0 ? new Map() : this.rt.store.offerCounts(sandbox, keys);
  }
}

function asDecidedOffer(p: Proposition): DecidedOffer {
  const r = p.representation;
  return {
    id: p.offerId,
    name: p.name,
    rank: p.rank,
    score: p.score,
    ...(r.text !== undefined ? { text: r.text } : {}),
    ...(r.html !== undefined ? { html: r.html } : {}),
    ...(r.imageAsset !== undefined ? { imageAsset: r.imageAsset } : {}),
    ...(r.link !== undefined ? { link: r.link } : {}),
    ...(r.language !== undefined ? { language: r.language } : {}),
    attributes: p.attributes,
  };
}

function withoutFallback(p: DecisionPolicy): DecisionPolicy {
  const { fallback: _ignored, ...rest } = p;
  return rest;
}

function hasProfileCaps(catalog: OfferCatalog): boolean {
  return catalog.offers.some((o) => o.offer.caps.some((c) => c.scope === 'profile'));
}

function answer(
  r: DecisionResult,
  profile: Profile | null,
  recorded: boolean,
  explain: boolean,
): DecisionAnswer {
  return {
    policy: r.policyId,
    placement: r.placement,
    profileId: profile?.id ?? null,
    recorded,
    fallback: r.fallbackUsed,
    propositions: r.propositions,
    scoring: r.scoring,
    ...(explain
      ? {
          excluded: r.excluded.map((e) => ({
            offerId: e.offerId,
            name: e.name,
            kind: e.reason.kind,
            reason: describeExclusion(e.reason),
          })),
        }
      : {}),
  };
}
