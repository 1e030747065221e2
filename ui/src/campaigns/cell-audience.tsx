// "Create audience" on a cell of the campaign report: a small button beside the count asks for a
// name, makes an audience of exactly the profiles the cell counts (POST /v1/campaigns/:id/audiences)
// and links to it. One notice per page, above the tables.
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { errorText } from '../api/client.ts';
import { useCan } from '../app/permissions.tsx';
import { useApi } from '../app/session.tsx';
import { useDialogs } from '../app/dialog.tsx';
import { Link } from '../app/shell.tsx';
import { campaignApi, type CampaignCounts, type CellAudienceBody } from './campaign-api.ts';
import { count } from './campaign-text.ts';

/** A cell the report can turn into an audience: its outcome and where it sits, in words for the name. */
export interface Cell {
  readonly body: Omit<CellAudienceBody, 'name'>;
  /** "Opened, run 1": the button's label and the name proposed. */
  readonly words: string;
}

/** The columns whose profiles are recorded one by one (targeted is a counter only). */
const CELL_OUTCOMES: ReadonlySet<string> = new Set<CellAudienceBody['outcome']>([
  'excluded',
  'sent',
  'delivered',
  'bounced',
  'opened',
  'clicked',
  'unsubscribed',
  'errors',
]);
export const isCellOutcome = (k: keyof CampaignCounts): k is CellAudienceBody['outcome'] =>
  CELL_OUTCOMES.has(k);

type Notice = { ok: true; name: string; size: number } | { ok: false; text: string };

export function useCellAudience(campaignId: string, campaignName: string) {
  const api = useApi();
  const dialogs = useDialogs();
  const allowed = useCan('audiences.manage');
  const [notice, setNotice] = useState<Notice | null>(null);
  const create = useCallback(
    async (cell: Cell) => {
      const name = await dialogs.prompt({
        title: `Create an audience: ${cell.words}`,
        label: 'Audience name',
        confirmLabel: 'Create audience',
        initial: `${campaignName}: ${cell.words}`.slice(0, 200),
        validate: (v) => (v.trim() === '' ? 'Give the audience a name.' : null),
      });
      if (!name) return;
      try {
        const r = await campaignApi(api).audienceFromCell(campaignId, {
          ...cell.body,
          name: name.trim(),
        });
        setNotice({ ok: true, name: r.audience.name, size: r.size });
      } catch (err) {
        setNotice({ ok: false, text: errorText(err) });
      }
    },
    [api, dialogs, campaignId, campaignName],
  );
  const shown: ReactNode =
    notice === null ? null : notice.ok ? (
      <p className="ok cell-audience-notice" role="status">
        Audience “{notice.name}” created with {count(notice.size)} member
        {notice.size === 1 ? '' : 's'}.{' '}
        <Link to={`/objects/audiences/${encodeURIComponent(notice.name)}`}>Open the audience</Link>
      </p>
    ) : (
      <p className="error cell-audience-notice" role="alert">
        {notice.text}
      </p>
    );
  return { create: allowed ? create : null, notice: shown };
}

/**
 * A count, with "Create audience" beside it when the caller may make one and the cell has profiles
 * (an empty slot otherwise, so the counts of a column stay aligned).
 */
export function CellCount(p: {
  value: number;
  cell: Cell | null;
  onCreate: ((cell: Cell) => Promise<void>) | null;
}) {
  const { cell, onCreate } = p;
  return (
    <span className="cell-count">
      {count(p.value)}
      {onCreate && (!cell || p.value === 0) && <span className="cell-audience-slot" />}
      {cell && onCreate && p.value > 0 && (
        <button
          type="button"
          className="cell-audience"
          title={`Create an audience: ${cell.words}`}
          aria-label={`Create audience: ${cell.words}`}
          onClick={() => void onCreate(cell)}
        >
          +
        </button>
      )}
    </span>
  );
}
