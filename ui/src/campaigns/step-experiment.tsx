// A content experiment: two to five treatments with a split in percent (the first is the control),
// a holdout, the success metric, the minimum sample before a winner is called, and optionally the
// winner sent to the rest (the holdout) a number of hours after the run's start. Each treatment's content is edited on the Content step.
import type { CampaignDef, CampaignExperiment } from './campaign-api.ts';
import { evenSplit, treatmentId } from './campaign-text.ts';
import type { StepProps } from './campaign-wizard.tsx';

type Metric = CampaignExperiment['metric'];

/** A first experiment: the message as it is (control) and a copy of it (B), half each. */
export function startExperiment(d: CampaignDef): CampaignExperiment {
  return {
    treatments: [
      { id: 'a', name: 'Treatment A', percent: 50, content: { ...d.action.content } },
      { id: 'b', name: 'Treatment B', percent: 50, content: { ...d.action.content } },
    ],
    holdoutPercent: 0,
    metric: { kind: 'opens' },
    minSamplePerArm: 100,
    winner: { kind: 'none' },
  };
}

const METRIC_LABEL: Record<Metric['kind'], string> = {
  opens: 'Opens',
  clicks: 'Clicks',
  uniqueClicks: 'Unique clicks',
  conversion: 'A conversion event',
};

export function ExperimentStep(p: StepProps) {
  const e = p.def.experiment;
  const set = (next: CampaignExperiment) => p.change((d) => ({ ...d, experiment: next }));
  if (!e)
    return (
      <div className="campaign-form">
        <p>
          Test two to five versions of the message on parts of the audience, and see which one does
          best.
        </p>
        <button
          type="button"
          onClick={() => p.change((d) => ({ ...d, experiment: startExperiment(d) }))}
        >
          Add a content experiment
        </button>
      </div>
    );
  const total = e.treatments.reduce((s, t) => s + t.percent, 0);
  const resplit = (ts: CampaignExperiment['treatments']) => {
    const split = evenSplit(ts.length);
    return ts.map((t, i) => ({ ...t, percent: split[i]! }));
  };
  const unusedId = () => {
    for (let i = 0; ; i++)
      if (!e.treatments.some((t) => t.id === treatmentId(i))) return treatmentId(i);
  };
  return (
    <div className="campaign-form experiment">
      <table className="grid treatments" aria-label="Treatments">
        <thead>
          <tr>
            <th>Treatment</th>
            <th className="num">Split (%)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {e.treatments.map((t, i) => (
            <tr key={t.id}>
              <td>
                <input
                  aria-label={`Treatment ${i + 1} name`}
                  value={t.name}
                  onChange={(ev) =>
                    set({
                      ...e,
                      treatments: e.treatments.map((x, j) =>
                        j === i ? { ...x, name: ev.target.value } : x,
                      ),
                    })
                  }
                />
                {i === 0 && <span className="muted small"> control</span>}
              </td>
              <td className="num">
                <input
                  type="number"
                  min={0}
                  max={100}
                  className="narrow"
                  aria-label={`${t.name} split`}
                  value={t.percent}
                  onChange={(ev) =>
                    set({
                      ...e,
                      treatments: e.treatments.map((x, j) =>
                        j === i
                          ? {
                              ...x,
                              percent: Math.max(0, Math.min(100, Number(ev.target.value) || 0)),
                            }
                          : x,
                      ),
                    })
                  }
                />
              </td>
              <td>
                {e.treatments.length > 2 && (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove ${t.name}`}
                    onClick={() =>
                      set({ ...e, treatments: resplit(e.treatments.filter((_, j) => j !== i)) })
                    }
                  >
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>
              {e.treatments.length < 5 && (
                <button
                  type="button"
                  onClick={() => {
                    const id = unusedId();
                    set({
                      ...e,
                      treatments: resplit([
                        ...e.treatments,
                        {
                          id,
                          name: `Treatment ${id.toUpperCase()}`,
                          percent: 0,
                          content: { ...(e.treatments[0]?.content ?? p.def.action.content) },
                        },
                      ]),
                    });
                  }}
                >
                  Add treatment
                </button>
              )}
            </td>
            <td className={`num ${Math.abs(total - 100) > 1e-9 ? 'error' : 'muted'}`} role="status">
              Total {total}%
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      {Math.abs(total - 100) > 1e-9 && (
        <p className="error small" role="alert">
          The splits must total 100% (they total {total}%).
        </p>
      )}
      <div className="two-cols">
        <label>
          Holdout (%)
          <input
            type="number"
            name="holdout"
            min={0}
            max={90}
            value={e.holdoutPercent}
            onChange={(ev) =>
              set({ ...e, holdoutPercent: Math.max(0, Math.min(90, Number(ev.target.value) || 0)) })
            }
          />
        </label>
        <label>
          Minimum sample per treatment
          <input
            type="number"
            name="min-sample"
            min={1}
            value={e.minSamplePerArm}
            onChange={(ev) =>
              set({ ...e, minSamplePerArm: Math.max(1, Number(ev.target.value) || 1) })
            }
          />
        </label>
      </div>
      <p className="muted small">
        The holdout gets no message during the test (with a conversion metric, its conversions are
        the baseline); with "send the winner to the rest" it then gets the winner. No winner is
        called before every treatment has reached the minimum sample, and then only one with a
        probability to be best of at least 95%; without one, the control is sent to the rest.
      </p>
      <MetricFields
        metric={e.metric}
        onChange={(metric) => set({ ...e, metric })}
        catalog={p.catalog}
      />
      {p.def.type === 'scheduled' ? (
        <label className="check">
          <input
            type="checkbox"
            name="send-winner"
            checked={e.winner.kind === 'sendWinnerToRest'}
            onChange={(ev) =>
              set({
                ...e,
                winner: ev.target.checked
                  ? { kind: 'sendWinnerToRest', afterHours: 24 }
                  : { kind: 'none' },
                ...(ev.target.checked && e.holdoutPercent === 0 ? { holdoutPercent: 10 } : {}),
              })
            }
          />
          Send the winner to the rest (the holdout) after the test
        </label>
      ) : (
        <p className="muted small">
          An API-triggered campaign has no rest of an audience: its winner is read in the report.
        </p>
      )}
      {e.winner.kind === 'sendWinnerToRest' && e.holdoutPercent === 0 && (
        <p className="error small" role="alert">
          Sending the winner to the rest needs a holdout: set one above.
        </p>
      )}
      {e.winner.kind === 'sendWinnerToRest' && (
        <label>
          Send the winner after (hours from the run's start)
          <input
            type="number"
            name="after-hours"
            min={1}
            max={720}
            value={e.winner.afterHours}
            onChange={(ev) =>
              set({
                ...e,
                winner: {
                  kind: 'sendWinnerToRest',
                  afterHours: Math.max(1, Number(ev.target.value) || 1),
                },
              })
            }
          />
        </label>
      )}
      <p className="muted small">Each treatment's content is edited on the Content step.</p>
      <button
        type="button"
        className="danger"
        onClick={() =>
          p.change((d) => {
            const { experiment: _e, ...rest } = d;
            return rest;
          })
        }
      >
        Remove the experiment
      </button>
    </div>
  );
}

function MetricFields(p: {
  metric: Metric;
  catalog: StepProps['catalog'];
  onChange(m: Metric): void;
}) {
  const m = p.metric;
  return (
    <div className="row metric">
      <label>
        Success metric
        <select
          name="metric"
          value={m.kind}
          onChange={(e) => {
            const k = e.target.value as Metric['kind'];
            p.onChange(
              k === 'conversion'
                ? {
                    kind: 'conversion',
                    eventType: p.catalog.eventTypes[0]?.key ?? '',
                    windowHours: 168,
                  }
                : { kind: k },
            );
          }}
        >
          {(Object.keys(METRIC_LABEL) as Array<Metric['kind']>).map((k) => (
            <option key={k} value={k}>
              {METRIC_LABEL[k]}
            </option>
          ))}
        </select>
      </label>
      {m.kind === 'conversion' && (
        <>
          <label>
            Event
            <select
              name="conversion-event"
              value={m.eventType}
              onChange={(e) => p.onChange({ ...m, eventType: e.target.value })}
            >
              {p.catalog.eventTypes.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.key}
                </option>
              ))}
            </select>
          </label>
          <label>
            Within (hours)
            <input
              type="number"
              name="window-hours"
              min={1}
              max={168}
              value={m.windowHours}
              onChange={(e) =>
                p.onChange({
                  ...m,
                  windowHours: Math.max(1, Math.min(168, Number(e.target.value) || 1)),
                })
              }
            />
          </label>
        </>
      )}
    </div>
  );
}
