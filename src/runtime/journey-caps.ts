// Journey-domain business rules: at most N entries per period and at most N journeys at once for a
// profile, across the journeys that apply the same rule set. An entry over a cap is not made and is
// counted as "capped" on the journey.
import type { CompiledJourney } from '../journey/index.ts';
import type { InstanceState } from '../journey/instance.ts';
import type { JourneyRuleSet } from '../model/rule-set.ts';
import { checkJourneyCap, type JourneyCapDecision } from '../rules/index.ts';
import type { StoreReads } from './unit-of-work/index.ts';
import type { SandboxCatalog } from './catalog.ts';

export async function journeyCapDecision(
  store: StoreReads,
  catalog: SandboxCatalog,
  journey: CompiledJourney,
  profileId: string,
  active: readonly InstanceState[],
  now: number,
): Promise<JourneyCapDecision> {
  const name = journey.definition.ruleSet;
  // A dry run never counts toward business rules, nor is it held by them.
  if (!name || journey.dryRun) return { excluded: false };
  const set = catalog.ruleSets.get(name);
  if (!set || set.domain !== 'journey') return { excluded: false };
  const governed = new Set(
    [...catalog.versions.values()]
      .filter((v) => v.version.definition.ruleSet === name)
      .map((v) => v.version.journeyId),
  );
  const dry = new Set(
    [...catalog.versions.values()]
      .filter((v) => v.version.status === 'dryRun')
      .map((v) => `${v.version.journeyId}:${v.version.version}`),
  );
  const counts = (i: InstanceState): boolean =>
    governed.has(i.journeyId) && !dry.has(`${i.journeyId}:${i.version}`);
  const mine = await store.instances(catalog.sandbox, { profileId, limit: 10_000 });
  return checkJourneyCap({
    ruleSet: set as JourneyRuleSet,
    entries: mine.filter(counts).map((i) => i.enteredAt),
    active: active.filter((i) => counts(i) && i.status === 'active').length,
    now,
  });
}
