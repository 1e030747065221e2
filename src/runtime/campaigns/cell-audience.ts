// The profiles one cell of a campaign's report counts, read from the records the report reads: the
// delivery log of the campaign's journey, and the feedback events of its messages (an open counts in
// the report when the event names the campaign's journey, its version and the activity: so here too).
import { campaignJourneyId, WINNER_ARM } from '../../campaign/as-journey.ts';
import {
  cellProfiles,
  type CellFeedback,
  type CellMessage,
  type CellScope,
  type ReportCell,
} from '../../campaign/report-cell.ts';
import { validationFailed } from '../../errors.ts';
import type { MessageRecord } from '../../store/ports.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import { armName, exclusionReason } from './report.ts';
import type { StoredCampaign } from './stored.ts';

const FEEDBACK_TYPES: Readonly<Record<string, CellFeedback['action']>> = {
  'message.opened': 'opened',
  'message.clicked': 'clicked',
  'message.unsubscribed': 'unsubscribed',
};
/** Profiles per range read of their feedback events. */
const CHUNK = 1000;

/** The runs the report shows and the names of its arms. */
export function cellScope(c: StoredCampaign): CellScope {
  return {
    runs: c.definition.type === 'api-triggered' ? 1 : c.runs.length,
    armName: (arm) => armName(c, arm),
  };
}

/** Refuses a cell the campaign's report does not have (a reason outside excluded, a run or treatment it lacks), naming what it has. */
export function assertCellExists(c: StoredCampaign, cell: ReportCell): void {
  if (cell.reason !== undefined && cell.outcome !== 'excluded')
    throw validationFailed(`a reason goes with the outcome "excluded", not "${cell.outcome}"`, [
      {
        path: 'reason',
        message: 'only the excluded column has reasons',
        expected: 'no reason, or the outcome "excluded"',
        received: cell.reason,
      },
    ]);
  const { runs } = cellScope(c);
  if (cell.run !== undefined && cell.run > runs)
    throw validationFailed(`campaign "${c.id}" has no run ${cell.run}`, [
      {
        path: 'run',
        message: 'no such run in the report',
        expected: runs === 0 ? 'no run (the campaign has not run yet)' : `1 to ${runs}`,
        received: String(cell.run),
      },
    ]);
  if (cell.treatment === undefined) return;
  const treatments = c.definition.experiment?.treatments ?? [];
  const names = [
    ...treatments.map((_, k) => armName(c, k + 1)),
    ...(treatments.length > 0 ? [armName(c, WINNER_ARM)] : []),
  ];
  if (!names.includes(cell.treatment))
    throw validationFailed(`campaign "${c.id}" has no treatment "${cell.treatment}"`, [
      {
        path: 'treatment',
        message: 'no such treatment in the report',
        expected:
          names.length === 0 ? 'no treatment (the campaign has no experiment)' : names.join(', '),
        received: cell.treatment,
      },
    ]);
}

const toCellMessage = (m: MessageRecord): CellMessage => ({
  profileId: m.profileId,
  version: m.version,
  status: m.status,
  reason: m.status === 'excluded' ? exclusionReason(m.reason) : null,
});

/** The feedback events of the campaign's messages, of the profiles given. */
async function feedbackOf(
  rt: RuntimeParts,
  sandbox: string,
  journeyId: string,
  profiles: readonly string[],
  since: number,
): Promise<CellFeedback[]> {
  const out: CellFeedback[] = [];
  const sorted = [...new Set(profiles)].sort();
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const rows = await rt.store.eventsOfProfiles(sandbox, {
      afterProfileId: i === 0 ? '' : sorted[i - 1]!,
      toProfileId: sorted[Math.min(i + CHUNK, sorted.length) - 1]!,
      types: Object.keys(FEEDBACK_TYPES),
      since,
    });
    for (const r of rows) {
      const action = FEEDBACK_TYPES[r.type];
      if (action === undefined || typeof r.payload !== 'object' || r.payload === null) continue;
      const p = r.payload as Record<string, unknown>;
      if (p['journeyId'] !== journeyId || typeof p['journeyVersion'] !== 'number') continue;
      if (typeof p['activityId'] !== 'string' || p['activityId'] === '') continue;
      out.push({ profileId: r.profileId, version: p['journeyVersion'], action });
    }
  }
  return out;
}

/** The profiles the cell counts, in id order. */
export async function campaignCellProfiles(
  rt: RuntimeParts,
  sandbox: string,
  c: StoredCampaign,
  cell: ReportCell,
): Promise<string[]> {
  assertCellExists(c, cell);
  const journeyId = campaignJourneyId(c.id);
  const records = await rt.store.messages(sandbox, { journeyId, limit: 10_000_000 });
  const messages = records.map(toCellMessage);
  const feedbackCell =
    cell.outcome === 'opened' || cell.outcome === 'clicked' || cell.outcome === 'unsubscribed';
  // Only a profile sent a message can answer it: their events are the ones read.
  const feedback = feedbackCell
    ? await feedbackOf(
        rt,
        sandbox,
        journeyId,
        records.filter((m) => m.version !== null).map((m) => m.profileId),
        records.reduce((min, m) => Math.min(min, m.createdAt), Infinity),
      )
    : [];
  return cellProfiles(cell, cellScope(c), { messages, feedback });
}
