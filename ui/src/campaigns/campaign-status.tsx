// A campaign's status as a badge, and the draft's save state, in the console's colours.
import type { CampaignStatus } from './campaign-api.ts';
import { STATUS_LABEL } from './campaign-text.ts';
import { saveText } from './use-campaign-draft.ts';
import type { SaveState } from './use-campaign-draft.ts';
import { Link } from '../app/shell.tsx';

export function CampaignStatusBadge(p: { status: CampaignStatus }) {
  return (
    <span className={`badge status-${p.status}`} data-status={p.status}>
      {STATUS_LABEL[p.status]}
    </span>
  );
}

export function SaveStateText(p: { state: SaveState }) {
  const bad = p.state.kind === 'conflict' || p.state.kind === 'error';
  return (
    <span
      className={`save-state ${bad ? 'error' : 'muted'} small`}
      role="status"
      data-testid="save-state"
      data-state={p.state.kind}
    >
      {saveText(p.state)}
    </span>
  );
}

/** A campaign page whose campaign could not be loaded: the reason, and the way back to the list. */
export function CampaignLoadFailed(p: { message: string }) {
  return (
    <section className="page">
      <p className="crumbs">
        <Link to="/campaigns">Campaigns</Link>
      </p>
      <p className="error" role="alert">
        {p.message}
      </p>
    </section>
  );
}
