// The wizard's first step: name, description, type (scheduled or API-triggered), marketing or
// transactional, channel. A new campaign is created (a draft) when this step is left with Next.
import { useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { campaignApi } from './campaign-api.ts';
import type { CampaignChannel, CampaignDef } from './campaign-api.ts';
import { CHANNEL_LABEL, campaignSlug, newCampaign } from './campaign-text.ts';
import { StepNav } from './wizard-steps.tsx';
import './campaigns.css';

export interface PropertiesValue {
  readonly name: string;
  readonly description: string;
  readonly type: CampaignDef['type'];
  readonly mode: CampaignDef['mode'];
  readonly channel: CampaignChannel;
}

/** The properties' fields (on an existing draft, a new channel starts a new, empty message). */
export function PropertiesFields(p: {
  value: PropertiesValue;
  onChange(v: PropertiesValue): void;
}) {
  const v = p.value;
  const set = (patch: Partial<PropertiesValue>) => p.onChange({ ...v, ...patch });
  return (
    <div className="campaign-form">
      <label>
        Name
        <input
          name="name"
          required
          autoFocus
          value={v.name}
          onChange={(e) => set({ name: e.target.value })}
        />
      </label>
      <label>
        Description
        <textarea
          name="description"
          rows={2}
          value={v.description}
          onChange={(e) => set({ description: e.target.value })}
        />
      </label>
      <fieldset className="choice-cards" aria-label="Type">
        <legend>Type</legend>
        <label className={`choice-card${v.type === 'scheduled' ? ' on' : ''}`}>
          <input
            type="radio"
            name="type"
            checked={v.type === 'scheduled'}
            onChange={() => set({ type: 'scheduled', mode: 'marketing' })}
          />
          <strong>Scheduled</strong>
          <span className="muted small">
            One message to an audience: now, at a date and time, or on a recurrence.
          </span>
        </label>
        <label className={`choice-card${v.type === 'api-triggered' ? ' on' : ''}`}>
          <input
            type="radio"
            name="type"
            checked={v.type === 'api-triggered'}
            onChange={() => set({ type: 'api-triggered' })}
          />
          <strong>API-triggered</strong>
          <span className="muted small">
            Sent to the recipients of a call to the trigger API, with its context (an order, a
            link).
          </span>
        </label>
      </fieldset>
      <fieldset className="choice-cards" aria-label="Category">
        <legend>Category</legend>
        <label className={`choice-card${v.mode === 'marketing' ? ' on' : ''}`}>
          <input
            type="radio"
            name="mode"
            checked={v.mode === 'marketing'}
            onChange={() => set({ mode: 'marketing' })}
          />
          <strong>Marketing</strong>
          <span className="muted small">Needs marketing consent; frequency capping applies.</span>
        </label>
        <label
          className={`choice-card${v.mode === 'transactional' ? ' on' : ''}${v.type === 'scheduled' ? ' disabled' : ''}`}
        >
          <input
            type="radio"
            name="mode"
            disabled={v.type === 'scheduled'}
            checked={v.mode === 'transactional'}
            onChange={() => set({ mode: 'transactional' })}
          />
          <strong>Transactional</strong>
          <span className="muted small">
            {v.type === 'scheduled'
              ? 'For API-triggered campaigns only.'
              : 'Order confirmations, password resets: no consent or capping, suppression still applies.'}
          </span>
        </label>
      </fieldset>
      <label>
        Channel
        <select
          name="channel"
          value={v.channel}
          onChange={(e) => set({ channel: e.target.value as CampaignChannel })}
        >
          {(Object.keys(CHANNEL_LABEL) as CampaignChannel[]).map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABEL[c]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** /campaigns/new: the properties of a campaign not created yet. */
export function NewCampaign() {
  usePageTitle('New campaign', 'Campaigns');
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const [v, setV] = useState<PropertiesValue>({
    name: '',
    description: '',
    type: 'scheduled',
    mode: 'marketing',
    channel: 'email',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    if (!v.name.trim()) {
      setError('Give the campaign a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const taken = new Set((await calls.list()).map((c) => c.id));
      // "new" is the address of this page.
      const base = campaignSlug(v.name) === 'new' ? 'new-campaign' : campaignSlug(v.name);
      let id = base;
      for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
      const { view } = await calls.create(newCampaign({ ...v, name: v.name.trim(), id }));
      const next = view.definition.type === 'scheduled' ? 'audience' : 'recipients';
      await navigate(`/campaigns/${encodeURIComponent(view.id)}/edit/${next}`, { replace: true });
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  }

  return (
    <section className="page campaign-wizard">
      <p className="crumbs">
        <Link to="/campaigns">Campaigns</Link> › New campaign
      </p>
      <div className="page-head">
        <h1>New campaign</h1>
      </div>
      <StepNav type={v.type} current="properties" />
      <form
        className="card wizard-body"
        aria-label="Properties"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2>Properties</h2>
        <PropertiesFields value={v} onChange={setV} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="wizard-foot">
          <Link to="/campaigns">Cancel</Link>
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
}
