// Decisioning throughput: pure decide() for a policy over 1,000 approved offers, each with its own
// eligibility rule over profile attributes (and a fifth with an audience condition), on one core
// (target: 20,000 decisions per second, counted per CPU second of the process). Profiles vary, so different offers qualify for each. Also
// the same policy ranked by a formula (every eligible offer scored: each rule and the formula run).
// Usage: node --import tsx bench/offers.ts [decisions]
import { decisionPolicySchema } from '../src/model/decision-policy.ts';
import { offerSchema } from '../src/model/offer.ts';
import { OfferCatalog, decide } from '../src/offers/index.ts';
import type { DecideInput } from '../src/offers/index.ts';

const OFFERS = 1_000;
const TIERS = ['bronze', 'silver', 'gold', 'platinum'];
const P = '#{ExperiencePlatform.ProfileFieldGroup.profile';

function offers() {
  return Array.from({ length: OFFERS }, (_, i) =>
    offerSchema.parse({
      id: `offer-${i}`,
      name: `Offer ${i}`,
      status: 'approved',
      priority: (i * 7919) % 1000,
      tags: [i % 2 === 0 ? 'spring' : 'summer', 'all'],
      attributes: { city: ['Paris', 'Lyon', 'Rome', 'Berlin'][i % 4]!, margin: i % 10 },
      representations: [
        { placement: 'email-banner', text: `Offer ${i}`, link: `https://luma.example/o/${i}` },
      ],
      endDate: '2100-01-01T00:00:00Z',
      eligibility: {
        rule: `${P}.loyalty.tier} == "${TIERS[i % 4]}" and ${P}.age} >= ${18 + (i % 50)}`,
        ...(i % 5 === 0 ? { audiences: { any: [`Audience ${i % 20}`] } } : {}),
      },
      ...(i % 10 === 0
        ? { caps: [{ scope: 'profile', count: 3, period: { unit: 'week', every: 1 } }] }
        : {}),
    }),
  );
}

const policy = (ranking: unknown) =>
  decisionPolicySchema.parse({
    id: 'bench',
    name: 'Bench',
    placement: 'email-banner',
    count: 3,
    strategies: [{ collection: { tags: { any: ['all'] } }, ranking }],
  });

function inputs(): DecideInput[] {
  return Array.from({ length: 64 }, (_, i) => ({
    profileId: `p${i}`,
    profile: { loyalty: { tier: TIERS[i % 4] }, age: 18 + ((i * 13) % 60), city: 'Paris' },
    context: {},
    audiences: { [`Audience ${i % 20}`]: 'realized' as const },
    now: Date.parse('2026-12-04T12:00:00Z'),
    counts: () => 0,
  }));
}

function measure(
  name: string,
  decisions: number,
  run: (i: number) => number,
): { name: string; value: number; unit: string; baseline?: string } {
  let sink = 0;
  for (let i = 0; i < Math.min(decisions, 2_000); i++) sink += run(i);
  // Per core: CPU seconds of this process (user + system), so other load on the machine does not count.
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < decisions; i++) sink += run(i);
  const used = process.cpuUsage(cpu0);
  const seconds = Math.max((used.user + used.system) / 1e6, 1e-6);
  if (sink === 0) throw new Error(`${name}: no offer was ever proposed`);
  return { name, value: Math.round(decisions / seconds), unit: 'decisions/s' };
}

export async function benchOffers(opts: {
  decisions: number;
}): Promise<Array<{ name: string; value: number; unit: string; baseline?: string }>> {
  const decisions = Math.max(1, Math.floor(opts.decisions));
  const catalog = new OfferCatalog(offers());
  const ins = inputs();
  const byPriority = policy('priority');
  const byFormula = policy({
    formula: `if (@event{offer.attributes.city} == ${P}.city}) then (@event{offer.priority} * 2) else (@event{offer.priority} + @event{offer.attributes.margin})`,
  });
  const results = [
    {
      ...measure(
        'offers.decide.throughput',
        decisions,
        (i) => decide(byPriority, catalog, ins[i % ins.length]!).propositions.length,
      ),
      baseline:
        'target >= 20000 decisions/s on one core (1,000 offers with eligibility rules, priority ranking, 3 offers)',
    },
  ];
  await new Promise((resolve) => setImmediate(resolve));
  results.push({
    ...measure(
      'offers.decide.throughput.formula',
      Math.max(1, Math.floor(decisions / 10)),
      (i) => decide(byFormula, catalog, ins[i % ins.length]!).propositions.length,
    ),
    baseline: 'every eligible offer scored by a formula (no target)',
  });
  return results;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const decisions = Number(process.argv[2] ?? 100_000);
  for (const r of await benchOffers({ decisions }))
    console.log(`${r.name}: ${r.value.toLocaleString('en-US')} ${r.unit}`);
}
