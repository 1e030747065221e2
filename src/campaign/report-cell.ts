// "Audience from a report cell": which profiles one cell of a campaign's report counts. A cell is an
// outcome (sent, opened, excluded for a reason…) of the whole campaign, of one run, or of one
// treatment of a run; its profiles are read from the same records the report counts (the delivery
// log for sends and exclusions, the feedback events for opens, clicks and unsubscriptions), with the
// same rules (src/runtime/campaigns/report.ts), so an audience has exactly the profiles its cell counts.
import type { ExclusionReason } from '../model/campaign.ts';
import { runOfVersion } from './as-journey.ts';

export const cellOutcomes = [
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'unsubscribed',
  'excluded',
  'errors',
] as const;
export type CellOutcome = (typeof cellOutcomes)[number];

export interface ReportCell {
  readonly outcome: CellOutcome;
  /** Only with `excluded`: one reason's column. */
  readonly reason?: ExclusionReason;
  /** The run's number (1 is the first); every run when absent. */
  readonly run?: number;
  /** A treatment id (or "winner"); every treatment when absent. */
  readonly treatment?: string;
}

/** A delivery-log entry of the campaign, its exclusion reason already named as the report names it. */
export interface CellMessage {
  readonly profileId: string;
  readonly version: number | null;
  readonly status: 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'excluded';
  readonly reason: ExclusionReason | null;
}

/** A feedback event of the campaign: the version of the message it answers. */
export interface CellFeedback {
  readonly profileId: string;
  readonly version: number;
  readonly action: 'opened' | 'clicked' | 'unsubscribed';
}

export interface CellScope {
  /** How many runs the report shows (versions of later runs are not counted). */
  readonly runs: number;
  /** The report's name of an arm: a treatment id, "winner", or "" without an experiment. */
  readonly armName: (arm: number) => string;
}

/** Whether a message version belongs to the cell's run and treatment. */
export function inCellScope(cell: ReportCell, scope: CellScope, version: number): boolean {
  const { run, arm } = runOfVersion(version);
  if (run < 1 || run > scope.runs) return false;
  if (cell.run !== undefined && run !== cell.run) return false;
  return cell.treatment === undefined || scope.armName(arm) === cell.treatment;
}

/** Whether a delivery-log entry counts in the cell's column (the report's addMessage, as a test). */
function messageCounts(cell: ReportCell, m: CellMessage): boolean {
  switch (cell.outcome) {
    case 'sent':
      return m.status === 'sent' || m.status === 'delivered' || m.status === 'bounced';
    case 'delivered':
      return m.status === 'delivered';
    case 'bounced':
      return m.status === 'bounced';
    case 'errors':
      return m.status === 'failed';
    case 'excluded':
      return m.status === 'excluded' && (cell.reason === undefined || m.reason === cell.reason);
    case 'opened':
    case 'clicked':
    case 'unsubscribed':
      return false;
    default: {
      const never: never = cell.outcome;
      throw new Error(`unhandled outcome ${String(never)}`);
    }
  }
}

/** The profiles the cell counts, in id order, each once. */
export function cellProfiles(
  cell: ReportCell,
  scope: CellScope,
  records: {
    readonly messages: readonly CellMessage[];
    readonly feedback: readonly CellFeedback[];
  },
): string[] {
  const out = new Set<string>();
  for (const m of records.messages)
    if (m.version !== null && messageCounts(cell, m) && inCellScope(cell, scope, m.version))
      out.add(m.profileId);
  for (const f of records.feedback)
    if (f.action === cell.outcome && inCellScope(cell, scope, f.version)) out.add(f.profileId);
  return [...out].sort();
}

/** The cell in words, for the audience's description: "opened, run 2, treatment b". */
export function describeCell(cell: ReportCell): string {
  return [
    cell.outcome === 'excluded' && cell.reason !== undefined
      ? `excluded (${cell.reason})`
      : cell.outcome,
    cell.run === undefined ? 'every run' : `run ${cell.run}`,
    ...(cell.treatment === undefined ? [] : [`treatment ${cell.treatment}`]),
  ].join(', ');
}
