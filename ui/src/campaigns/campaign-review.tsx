// /campaigns/:id: a campaign before and after activation. What it sends, to whom, when; the
// audience's size now; the message rendered as a chosen test profile (POST /v1/render, as the
// designer previews); what blocks activation, each with a link to its step; Activate, and Stop for
// a scheduled or live campaign; where an approval policy applies, the approval's buttons instead
// (campaign-approval.tsx). An API-triggered campaign shows its trigger call as cURL, and its sample
// context ({{context.…}} in the preview), a JSON editor while it is a draft.
import { useMemo, useState } from 'react';
import type { Stored } from './campaign-api.ts';
import {
  parseSampleContext,
  sampleContextText,
  type SampleContextParse,
} from './sample-context.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useCan } from '../app/permissions.tsx';
import { useApi, useSession } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { ContentPreview } from '../objects/content-preview.tsx';
import { CAMPAIGN_PERMISSION, campaignApi } from './campaign-api.ts';
import type { CampaignDef, CampaignView } from './campaign-api.ts';
import {
  CHANNEL_LABEL,
  count,
  fieldName,
  hasContent,
  problemText,
  scheduleText,
  triggerCurl,
  when,
} from './campaign-text.ts';
import { ApprovalBanner, ApprovalButtons, useCampaignApproval } from './campaign-approval.tsx';
import { CampaignLoadFailed, CampaignStatusBadge } from './campaign-status.tsx';
import { EstimateFigures } from './step-audience.tsx';
import type { StepId } from './wizard-steps.tsx';
import './campaigns.css';

/** The wizard step where a problem's field is edited. */
function stepOf(path: string, type: CampaignDef['type']): StepId {
  const head = path.split(/[.[/]/)[0] ?? '';
  if (head === 'audience') return 'audience';
  if (head === 'namespace') return 'recipients';
  if (head === 'schedule' || head === 'throttle' || head === 'timeZone') return 'schedule';
  if (head === 'experiment') return path.includes('content') ? 'content' : 'experiment';
  if (head === 'action') return 'content';
  return type === 'scheduled' && head === '' ? 'audience' : 'properties';
}

export function CampaignReview(p: { id: string }) {
  const api = useApi();
  const { sandbox } = useSession();
  const calls = useMemo(() => campaignApi(api), [api]);
  const dialogs = useDialogs();
  const loaded = useLoad(() => calls.read(p.id), [calls, p.id]);
  const [view, setView] = useState<CampaignView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The sample context's editor text while it differs from the stored one. */
  const [contextText, setContextText] = useState<string | null>(null);
  const canManage = useCan(CAMPAIGN_PERMISSION.manage);
  const canPublish = useCan(CAMPAIGN_PERMISSION.publish);
  const v = view ?? loaded.data?.view;
  const storedContext = v?.definition.sampleContext;
  const parsed = useMemo<SampleContextParse>(
    () =>
      contextText === null ? { ok: true, value: storedContext } : parseSampleContext(contextText),
    [contextText, storedContext],
  );
  const approval = useCampaignApproval(v);
  usePageTitle(v?.definition.name, 'Campaigns');
  if (loaded.error) return <CampaignLoadFailed message={loaded.error} />;
  if (!v) return <p className="page muted">Loading…</p>;
  const d = v.definition;
  const base = `/campaigns/${encodeURIComponent(v.id)}`;
  const draft = v.status === 'draft';
  const stoppable = v.status === 'scheduled' || v.status === 'live';

  async function run(action: () => Promise<CampaignView>) {
    setBusy(true);
    setError(null);
    try {
      setView(await action());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function act(what: 'activate' | 'stop') {
    const yes = await dialogs.confirm(
      what === 'activate'
        ? {
            title: `Activate ${d.name}?`,
            body: (
              <p>
                {d.type === 'scheduled'
                  ? `${scheduleText(d.schedule, d.timeZone, d.type)}, the message is sent to the audience ${d.audience?.audience ?? ''}.`
                  : 'The campaign starts accepting trigger calls.'}{' '}
                An active campaign can be stopped but no longer edited.
              </p>
            ),
            confirmLabel: 'Activate',
          }
        : {
            title: `Stop ${d.name}?`,
            body: <p>No later run starts, and a send in progress stops. This cannot be undone.</p>,
            confirmLabel: 'Stop the campaign',
            danger: true,
          },
    );
    if (!yes) return;
    setBusy(true);
    setError(null);
    try {
      const s = await (what === 'activate' ? calls.activate(v!.id) : calls.stop(v!.id));
      setView(s.view);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page campaign-review">
      <p className="crumbs">
        <Link to="/campaigns">Campaigns</Link> › {d.name}
      </p>
      <div className="page-head">
        <h1>{d.name}</h1>
        <CampaignStatusBadge status={v.status} />
        {draft && canManage && (
          <Link className="button" to={`${base}/edit`}>
            Edit
          </Link>
        )}
        {!draft && (
          <Link className="button" to={`${base}/report`}>
            Report
          </Link>
        )}
        {stoppable && canPublish && (
          <button type="button" className="danger" disabled={busy} onClick={() => void act('stop')}>
            Stop
          </button>
        )}
        <ApprovalButtons view={v} approval={approval} busy={busy} run={run} />
        {draft && canPublish && approval.loaded && !approval.policy && (
          <button
            type="button"
            className="primary"
            disabled={busy || v.problems.length > 0}
            title={v.problems.length ? 'Fix the problems below first' : undefined}
            onClick={() => void act('activate')}
          >
            Activate
          </button>
        )}
      </div>
      {error && (
        <p className="error banner" role="alert">
          {error}
        </p>
      )}
      <ApprovalBanner view={v} approval={approval} />
      <Checks view={v} needsApproval={approval.policy !== null} />
      <div className="review-grid">
        <div>
          <Summary view={v} />
          {d.type === 'api-triggered' && (
            <section className="card" aria-label="Trigger call">
              <h2>Trigger call</h2>
              <CurlBlock
                text={triggerCurl({
                  origin: location.origin,
                  campaignId: v.id,
                  sandbox,
                  namespace: d.namespace,
                  mode: d.mode,
                  context: d.sampleContext,
                })}
              />
              <p className="muted small">
                Each call needs its own <code>requestId</code>: a repeated one answers the first
                call again and sends nothing. <code>context</code> is usable in the content as{' '}
                <code>{'{{context.order.id}}'}</code>.
              </p>
            </section>
          )}
          {d.type === 'api-triggered' && (
            <SampleContextCard
              view={v}
              editable={draft && canManage}
              text={contextText ?? sampleContextText(storedContext)}
              parsed={parsed}
              onText={setContextText}
              onSaved={(s) => {
                setView(s.view);
                setContextText(null);
              }}
            />
          )}
        </div>
        <PreviewCard def={d} context={parsed.ok ? parsed.value : storedContext} />
      </div>
    </section>
  );
}

function Checks(p: { view: CampaignView; needsApproval: boolean }) {
  const v = p.view;
  if (v.status !== 'draft') return null;
  if (v.problems.length === 0)
    return (
      <p className="ok checks-ok" role="status">
        ✓ Ready to {p.needsApproval ? 'request approval' : 'activate'}: every check passed.
      </p>
    );
  return (
    <section className="card checks" aria-label="Checks">
      <h2>Before it can be activated</h2>
      <ul className="issues">
        {v.problems.map((x, i) => (
          <li key={i}>
            <strong>{fieldName(x.path)}</strong>: {problemText(x.message)}{' '}
            <Link
              to={`/campaigns/${encodeURIComponent(v.id)}/edit/${stepOf(x.path, v.definition.type)}`}
            >
              Fix
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Summary(p: { view: CampaignView }) {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const v = p.view;
  const d = v.definition;
  const estimate = useLoad(
    () =>
      d.type === 'scheduled' && d.audience?.audience ? calls.estimate(v.id) : Promise.resolve(null),
    [calls, v.id, d.type, d.audience?.audience],
  );
  const e = d.experiment;
  return (
    <section className="card summary" aria-label="Summary">
      <h2>Summary</h2>
      <dl>
        <dt>Type</dt>
        <dd>
          {d.type === 'scheduled' ? 'Scheduled' : 'API-triggered'}, {d.mode}
        </dd>
        <dt>Message</dt>
        <dd>
          {CHANNEL_LABEL[d.action.channel]}
          {d.action.configuration ? ` via ${d.action.configuration}` : ''}
          {d.action.ruleSet ? `; rule set ${d.action.ruleSet}` : ''}
        </dd>
        {d.type === 'scheduled' ? (
          <>
            <dt>Audience</dt>
            <dd>
              {d.audience?.audience ? (
                <>
                  {d.audience.audience}, by {d.audience.namespace}
                  {d.audience.evaluateBeforeRun ? '; evaluated before each run' : ''}
                  <div className="estimate inline-estimate" aria-label="Audience size">
                    {estimate.data && <EstimateFigures value={estimate.data} />}
                    {estimate.error && <span className="error small">{estimate.error}</span>}
                  </div>
                </>
              ) : (
                <span className="muted">None chosen</span>
              )}
            </dd>
          </>
        ) : (
          <>
            <dt>Recipients</dt>
            <dd>{d.namespace ? `By identity in ${d.namespace}` : 'By address'}</dd>
          </>
        )}
        <dt>Schedule</dt>
        <dd>
          {scheduleText(d.schedule, d.timeZone, d.type)}
          {d.useProfileTimeZone ? ", in each profile's time zone" : ''}
          {v.nextRunAt && (
            <div className="muted small">Next run {when(v.nextRunAt, d.timeZone)}</div>
          )}
        </dd>
        <dt>Throttling</dt>
        <dd>
          {d.throttle.ratePerSecond
            ? `${count(d.throttle.ratePerSecond)} messages per second`
            : 'No rate limit'}
          {d.throttle.maxMessages ? `, at most ${count(d.throttle.maxMessages)} per run` : ''}
        </dd>
        <dt>Experiment</dt>
        <dd>
          {e ? (
            <>
              {e.treatments.map((t) => `${t.name} ${t.percent}%`).join(' · ')}
              {e.holdoutPercent ? ` · holdout ${e.holdoutPercent}%` : ''}
              <div className="muted small">
                Metric:{' '}
                {e.metric.kind === 'conversion'
                  ? `${e.metric.eventType} within ${e.metric.windowHours} h`
                  : e.metric.kind}
                ; a winner after {count(e.minSamplePerArm)} per treatment
                {e.winner.kind === 'sendWinnerToRest'
                  ? `; sent to the rest ${e.winner.afterHours} h after the run's start`
                  : ''}
              </div>
            </>
          ) : (
            'None'
          )}
        </dd>
        {v.activatedAt && (
          <>
            <dt>Activated</dt>
            <dd>{when(v.activatedAt, d.timeZone)}</dd>
          </>
        )}
        {(v.stoppedAt ?? v.completedAt) && (
          <>
            <dt>{v.stoppedAt ? 'Stopped' : 'Completed'}</dt>
            <dd>{when(v.stoppedAt ?? v.completedAt, d.timeZone)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/**
 * The sample context: what the preview renders {{context.…}} with (a trigger call's context, never
 * sent). A draft's is edited as JSON: a mistake is named under the text, which stays as typed; a
 * refused save says why there too.
 */
function SampleContextCard(p: {
  view: CampaignView;
  editable: boolean;
  text: string;
  parsed: SampleContextParse;
  onText: (text: string | null) => void;
  onSaved: (s: Stored) => void;
}) {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const stored = sampleContextText(p.view.definition.sampleContext);
  const changed = p.text !== stored;
  const problem = p.parsed.ok ? null : p.parsed.message;
  const save = async () => {
    if (!p.parsed.ok) return;
    setBusy(true);
    setSaveError(null);
    try {
      const { sampleContext: _old, ...rest } = p.view.definition;
      const def = p.parsed.value === undefined ? rest : { ...rest, sampleContext: p.parsed.value };
      p.onSaved(await calls.update(p.view.id, def, p.view.etag));
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card sample-context" aria-label="Sample context">
      <h2>Sample context</h2>
      <p className="muted small">
        A trigger call's <code>context</code> to preview the message with:{' '}
        <code>{'{{context.orderId}}'}</code> shows its <code>orderId</code>. Never sent.
      </p>
      {p.editable ? (
        <>
          <textarea
            aria-label="Sample context (JSON)"
            className="mono"
            rows={Math.min(16, Math.max(4, p.text.split('\n').length + 1))}
            spellCheck={false}
            value={p.text}
            placeholder={'{\n  "orderId": "1001"\n}'}
            aria-invalid={problem ? true : undefined}
            aria-describedby="sample-context-problem"
            onChange={(e) => {
              setSaveError(null);
              p.onText(e.target.value === stored ? null : e.target.value);
            }}
          />
          {(problem ?? saveError) && (
            <p id="sample-context-problem" className="field-error" role="alert">
              {problem ?? saveError}
            </p>
          )}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={!changed || busy || problem !== null}
              onClick={() => void save()}
            >
              Save sample context
            </button>
            {changed && (
              <button type="button" disabled={busy} onClick={() => p.onText(null)}>
                Discard
              </button>
            )}
          </div>
        </>
      ) : stored ? (
        <pre aria-label="Sample context (JSON)">{stored}</pre>
      ) : (
        <p className="muted">None.</p>
      )}
    </section>
  );
}

function PreviewCard(p: { def: CampaignDef; context?: Readonly<Record<string, unknown>> }) {
  const d = p.def;
  const treatments = d.experiment?.treatments ?? [];
  const [which, setWhich] = useState(0);
  const content = (
    treatments.length
      ? treatments[Math.min(which, treatments.length - 1)]!.content
      : d.action.content
  ) as Record<string, unknown>;
  return (
    <section className="card preview-card" aria-label="Message preview">
      <h2>Preview</h2>
      {treatments.length > 0 && (
        <label>
          Treatment
          <select value={which} onChange={(e) => setWhich(Number(e.target.value))}>
            {treatments.map((t, i) => (
              <option key={t.id} value={i}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {hasContent(d.action.channel, content) ? (
        <ContentPreview
          channel={d.action.channel}
          content={content}
          pickFirstProfile
          context={p.context}
        />
      ) : (
        <p className="muted">Nothing to preview yet: the message has no content.</p>
      )}
    </section>
  );
}

function CurlBlock(p: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="curl">
      <div className="row between">
        <span className="muted small">cURL</span>
        <button
          type="button"
          className="small"
          onClick={() =>
            void navigator.clipboard.writeText(p.text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre aria-label="cURL">{p.text}</pre>
    </div>
  );
}
