// Sending the winner to the rest (sendWinnerToRest): when a run's winner job fires (its run's start
// + afterHours, audiences/runtime.ts), the winner is decided from that run's test phase and stored
// on the campaign, once: the analysis's winner when it called one (every treatment at the minimum
// sample, a probability to be best at the confidence level), else the control. The stored decision
// adds the run's winner version to the catalog (catalog-entries.ts), whose read sends the winning
// content to the held-out members only; a decided run is never decided again.
import { campaignJourneyId } from '../../campaign/as-journey.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import type { Assign } from './catalog-entries.ts';
import { experimentAnalysis, experimentMetrics, winnerAt } from './experiment.ts';
import { CAMPAIGN_KIND, decodeCampaign, type WinnerDecision } from './stored.ts';

/** Attempts when the campaign changes meanwhile (a stop, another decision). */
const ATTEMPTS = 5;

/** What a decision reads and writes: the store, the catalogs it invalidates, the clock. */
export type WinnerParts = Pick<RuntimeParts, 'store' | 'catalogs' | 'clock'>;

export async function decideWinner(
  rt: WinnerParts,
  assign: Assign,
  sandbox: string,
  campaignId: string,
  run: number,
): Promise<WinnerDecision | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const o = await rt.store.getObject(sandbox, CAMPAIGN_KIND, campaignId);
    const c = o ? decodeCampaign(o.body) : null;
    const e = c?.definition.experiment;
    const runAt = c?.runs[run - 1];
    if (!o || !c || !e || runAt === undefined || c.state !== 'active') return null;
    const at = winnerAt(e, runAt);
    if (at === null) return null;
    const done = c.winners.find((w) => w.run === run);
    if (done) return done;
    const now = rt.clock.now();
    const messages = await rt.store.messages(sandbox, {
      journeyId: campaignJourneyId(c.id),
      limit: 10_000_000,
    });
    const metrics = await experimentMetrics(rt, assign, sandbox, c, messages, { now, run });
    const analysis = metrics ? experimentAnalysis(c, metrics) : null;
    const decision: WinnerDecision = {
      run,
      at,
      treatment: analysis?.winner ?? e.treatments[0]!.id,
      basis: analysis?.winner ? 'analysis' : 'control',
      decidedAt: now,
    };
    const iso = new Date(now).toISOString();
    const next = { ...c, winners: [...c.winners, decision], updatedAt: iso };
    if (
      await rt.store.replaceObjectIfRevision(sandbox, CAMPAIGN_KIND, c.id, o.revision, next, iso)
    ) {
      rt.catalogs.invalidate(sandbox);
      return decision;
    }
  }
  throw new Error(`campaign "${campaignId}": the winner of run ${run} could not be stored`);
}
