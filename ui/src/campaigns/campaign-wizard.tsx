// /campaigns/:id/edit/:step: a draft campaign's wizard. Each step edits the stored draft (saved by
// itself, see use-campaign-draft.ts), so a reload or a closed tab loses nothing; Next and the step
// bar save first. The last step is the review page.
import { useMemo } from 'react';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { EMPTY_CATALOG, loadCatalog } from '../canvas/catalog.ts';
import type { Catalog } from '../canvas/catalog.ts';
import type { CampaignDef } from './campaign-api.ts';
import { CampaignLoadFailed, CampaignStatusBadge, SaveStateText } from './campaign-status.tsx';
import { AudienceStep, RecipientsStep } from './step-audience.tsx';
import { ContentStep } from './step-content.tsx';
import { ExperimentStep } from './step-experiment.tsx';
import { PropertiesFields } from './step-properties.tsx';
import type { PropertiesValue } from './step-properties.tsx';
import { ScheduleStep } from './step-schedule.tsx';
import { useCampaignDraft } from './use-campaign-draft.ts';
import { STEP_LABEL, StepNav, isStepId, stepsOf } from './wizard-steps.tsx';
import type { StepId } from './wizard-steps.tsx';
import './campaigns.css';

/** A change of properties applied to the definition (a new channel starts an empty message). */
function withProperties(d: CampaignDef, v: PropertiesValue): CampaignDef {
  const channelChanged = v.channel !== d.action.channel;
  const { description: _d, ...rest } = d;
  return {
    ...rest,
    ...(v.description ? { description: v.description } : {}),
    name: v.name,
    type: v.type,
    mode: v.type === 'scheduled' ? 'marketing' : v.mode,
    action: channelChanged
      ? { channel: v.channel, configuration: '', content: { channel: v.channel } }
      : d.action,
    ...(channelChanged && d.experiment
      ? {
          experiment: {
            ...d.experiment,
            treatments: d.experiment.treatments.map((t) => ({
              ...t,
              content: { channel: v.channel },
            })),
          },
        }
      : {}),
  };
}

export function CampaignWizard(p: { id: string; step: string }) {
  const api = useApi();
  const draft = useCampaignDraft(p.id);
  const catalog = useLoad(() => loadCatalog(api), [api]);
  const def = draft.def;
  const view = draft.view;
  usePageTitle(def?.name, 'Campaigns');
  const steps = useMemo(() => stepsOf(def?.type ?? 'scheduled'), [def?.type]);
  // An old address (audience on an API-triggered campaign, or no step): the nearest step.
  const step: StepId =
    isStepId(p.step) && steps.includes(p.step)
      ? p.step
      : p.step === 'audience' || p.step === 'recipients'
        ? steps[1]!
        : 'properties';

  async function go(s: StepId) {
    await draft.flush();
    const to =
      s === 'review'
        ? `/campaigns/${encodeURIComponent(p.id)}`
        : `/campaigns/${encodeURIComponent(p.id)}/edit/${s}`;
    await navigate(to);
  }

  if (draft.loadError) return <CampaignLoadFailed message={draft.loadError} />;
  if (!def || !view) return <p className="page muted">Loading…</p>;
  if (view.status !== 'draft')
    return (
      <section className="page">
        <p className="crumbs">
          <Link to="/campaigns">Campaigns</Link> › {def.name}
        </p>
        <p>
          This campaign is <CampaignStatusBadge status={view.status} />: only a draft can be edited.{' '}
          <Link to={`/campaigns/${encodeURIComponent(p.id)}`}>Open its review page</Link>.
        </p>
      </section>
    );

  const at = steps.indexOf(step);
  const next = steps[at + 1];
  const prev = steps[at - 1];
  const cat = catalog.data ?? EMPTY_CATALOG;
  const props = { id: p.id, def, change: draft.change, flush: draft.flush, catalog: cat };

  return (
    <section className="page campaign-wizard">
      <p className="crumbs">
        <Link to="/campaigns">Campaigns</Link> › {def.name}
      </p>
      <div className="page-head">
        <h1>{def.name}</h1>
        <CampaignStatusBadge status={view.status} />
        <SaveStateText state={draft.save} />
      </div>
      <StepNav type={def.type} current={step} onGo={(s) => void go(s)} />
      <form
        className={`card wizard-body step-${step}`}
        aria-label={STEP_LABEL[step]}
        onSubmit={(e) => {
          e.preventDefault();
          if (next) void go(next);
        }}
      >
        <h2>{STEP_LABEL[step]}</h2>
        {catalog.error && (
          <p className="error small" role="alert">
            {catalog.error}
          </p>
        )}
        {/* The choices come from the catalogue: until it answers, a select would show nothing chosen. */}
        {catalog.data || catalog.error ? (
          <StepBody step={step} {...props} />
        ) : (
          <p className="muted">Loading…</p>
        )}
        <div className="wizard-foot">
          {prev ? (
            <button type="button" onClick={() => void go(prev)}>
              Back
            </button>
          ) : (
            <Link to="/campaigns">Back to campaigns</Link>
          )}
          <button className="primary" type="submit">
            {next === 'review' ? 'Review' : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
}

export interface StepProps {
  readonly id: string;
  readonly def: CampaignDef;
  readonly catalog: Catalog;
  change(next: (d: CampaignDef) => CampaignDef): void;
  /** Saves what is unsaved now (before asking the server about the draft). */
  flush(): Promise<boolean>;
}

function StepBody(p: StepProps & { step: StepId }) {
  switch (p.step) {
    case 'properties':
      return (
        <PropertiesFields
          value={{
            name: p.def.name,
            description: p.def.description ?? '',
            type: p.def.type,
            mode: p.def.mode,
            channel: p.def.action.channel,
          }}
          onChange={(v) => p.change((d) => withProperties(d, v))}
        />
      );
    case 'audience':
      return <AudienceStep {...p} />;
    case 'recipients':
      return <RecipientsStep {...p} />;
    case 'content':
      return <ContentStep {...p} />;
    case 'schedule':
      return <ScheduleStep {...p} />;
    case 'experiment':
      return <ExperimentStep {...p} />;
    case 'review':
      return null;
  }
}
