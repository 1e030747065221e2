// Who a campaign reaches. Scheduled: a stored audience and the identity namespace its members are
// reached by, with the audience's size now (GET /v1/campaigns/:id/audience-estimate, asked again
// when either changes). API-triggered: the namespace of the identities the trigger call names.
import { useEffect, useMemo, useState } from 'react';
import { defaultNamespaces } from '@waymark/shared/model/identity.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { campaignApi } from './campaign-api.ts';
import type { AudienceEstimate } from './campaign-api.ts';
import { count, when } from './campaign-text.ts';
import type { StepProps } from './campaign-wizard.tsx';

/** The sandbox's identity namespaces: the built-in ones and the custom ones. */
function useNamespaces(): readonly string[] {
  const api = useApi();
  const custom = useLoad(
    () => api.get<{ items: Array<{ key: string }> }>('/v1/namespaces').then((r) => r.items),
    [api],
  );
  return useMemo(
    () => [
      ...new Set([
        ...defaultNamespaces.map((n) => n.code),
        ...(custom.data ?? []).map((n) => n.key),
      ]),
    ],
    [custom.data],
  );
}

export function AudienceStep(p: StepProps) {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const namespaces = useNamespaces();
  const a = p.def.audience;
  const audience = a?.audience ?? '';
  const namespace = a?.namespace ?? 'Email';
  const [estimate, setEstimate] = useState<
    | { state: 'none' }
    | { state: 'loading' }
    | { state: 'done'; value: AudienceEstimate }
    | { state: 'error'; message: string }
  >({ state: 'none' });
  const [round, setRound] = useState(0);
  const { flush, id } = p;

  useEffect(() => {
    if (!audience) {
      setEstimate({ state: 'none' });
      return;
    }
    let live = true;
    setEstimate({ state: 'loading' });
    // The estimate is of the stored draft: what is typed is saved first.
    const t = setTimeout(() => {
      void flush()
        .then(() => calls.estimate(id))
        .then(
          (value) => {
            if (live) setEstimate({ state: 'done', value });
          },
          (e: unknown) => {
            if (live) setEstimate({ state: 'error', message: errorText(e) });
          },
        );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [calls, flush, id, audience, namespace, round]);

  const set = (patch: Partial<NonNullable<typeof a>>) =>
    p.change((d) => ({
      ...d,
      audience: {
        audience: d.audience?.audience ?? '',
        namespace: d.audience?.namespace ?? 'Email',
        evaluateBeforeRun: d.audience?.evaluateBeforeRun ?? false,
        ...patch,
      },
    }));

  return (
    <div className="campaign-form two-part">
      <div>
        <label>
          Audience
          <select
            name="audience"
            value={audience}
            onChange={(e) => set({ audience: e.target.value })}
          >
            <option value="">Select an audience</option>
            {p.catalog.audiences.map((x) => (
              <option key={x.key} value={x.key}>
                {x.spec.name || x.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          Identity namespace
          <select
            name="namespace"
            value={namespace}
            onChange={(e) => set({ namespace: e.target.value })}
          >
            {namespaces.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <p className="muted small">
          Members without an identity in this namespace are not sent to (they are counted as
          excluded).
        </p>
        <label className="check">
          <input
            type="checkbox"
            name="evaluate-before-run"
            checked={a?.evaluateBeforeRun ?? false}
            onChange={(e) => set({ evaluateBeforeRun: e.target.checked })}
          />
          Evaluate the audience again right before each run
        </label>
      </div>
      <aside className="estimate" aria-label="Audience size">
        <h3>Audience size</h3>
        {estimate.state === 'none' && <p className="muted">Choose an audience to see its size.</p>}
        {estimate.state === 'loading' && <p className="muted">Estimating…</p>}
        {estimate.state === 'error' && (
          <p className="error small" role="alert">
            {estimate.message}
          </p>
        )}
        {estimate.state === 'done' && <EstimateFigures value={estimate.value} />}
        {audience && (
          <button type="button" onClick={() => setRound((r) => r + 1)}>
            Refresh
          </button>
        )}
      </aside>
    </div>
  );
}

export function EstimateFigures(p: { value: AudienceEstimate }) {
  const v = p.value;
  return (
    <>
      <p className="big-number">
        <strong data-testid="audience-estimate">{count(v.withIdentity)}</strong>
        <span className="muted"> profiles reachable by {v.namespace}</span>
      </p>
      <p className="muted small">
        {count(v.members)} members of {v.audience}; estimated {when(v.estimatedAt)}.
      </p>
    </>
  );
}

export function RecipientsStep(p: StepProps) {
  const namespaces = useNamespaces();
  const transactional = p.def.mode === 'transactional';
  return (
    <div className="campaign-form">
      <p>
        Recipients are named by the call to the trigger API: each by an identity in this namespace
        {transactional ? ', or by an address for someone who may have no profile' : ''}.
      </p>
      <label>
        Identity namespace
        <select
          name="namespace"
          value={p.def.namespace ?? ''}
          onChange={(e) => {
            const v = e.target.value;
            p.change((d) => {
              const { namespace: _n, ...rest } = d;
              return v ? { ...rest, namespace: v } : rest;
            });
          }}
        >
          <option value="">
            {transactional ? 'None: recipients by address' : 'Select a namespace'}
          </option>
          {namespaces.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </label>
      <p className="muted small">
        The review page shows the call, ready to copy, once the campaign is saved.
      </p>
    </div>
  );
}
