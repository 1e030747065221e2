// The experiment section of a campaign's report: per treatment the metric, its rate, the lift
// against the control with its confidence interval and the probability to be best (Bayesian
// beta-binomial, docs/experiments.md); the holdout's baseline; and, with "send the winner to the
// rest", each run's decision and whether the rest is sent yet.
import type { CampaignReport as Report } from './campaign-api.ts';
import { count, percent, signedPercent, when } from './campaign-text.ts';

type Analysis = NonNullable<Report['experiment']>;

/** The analysis' metric as a column heading: "clicks" → "Clicks", "conversion:Purchase" → "Purchase". */
export const metricLabel = (m: string): string =>
  m === 'uniqueClicks'
    ? 'Unique clicks'
    : m.startsWith('conversion:')
      ? m.slice('conversion:'.length)
      : m.charAt(0).toUpperCase() + m.slice(1);

function verdictOf(a: Analysis): string {
  const name = (id: string | null): string => a.arms.find((x) => x.id === id)?.name ?? id ?? '';
  switch (a.status) {
    case 'winner':
      return `Winner: ${name(a.winner)}`;
    case 'collecting':
      return `Collecting: not every treatment has its minimum sample (${count(a.minSamplePerArm)}) yet`;
    case 'inconclusive':
      return `Inconclusive so far: no treatment is best with ${Math.round(a.confidence * 100)}% probability (leading: ${name(a.leader)})`;
    default: {
      const never: never = a.status;
      return String(never);
    }
  }
}

function HoldoutLine(p: { a: Analysis }) {
  const h = p.a.holdout;
  if (h.percent === 0) return null;
  return (
    <p className="holdout" data-testid="holdout-baseline">
      Holdout ({h.percent}%): {count(h.size)} {h.size === 1 ? 'profile' : 'profiles'} held out
      {h.successes !== null
        ? `, ${count(h.successes)} converted without a message: baseline ${h.rate === null ? '–' : percent(h.rate, 2)}`
        : ' (no message, so no opens or clicks to compare)'}
      .
    </p>
  );
}

function WinnerSends(p: { a: Analysis }) {
  const name = (id: string | null): string => p.a.arms.find((x) => x.id === id)?.name ?? id ?? '';
  if (p.a.winnerSends.length === 0) return null;
  return (
    <ul className="winner-sends" aria-label="Winner sends">
      {p.a.winnerSends.map((w) => (
        <li key={w.run} data-state={w.state}>
          {p.a.winnerSends.length > 1 ? `Winner send of run ${w.run}: ` : 'Winner send: '}
          {w.state === 'pending'
            ? `the winner is decided and sent to the rest ${when(w.at)}`
            : `${name(w.treatment)} ${w.basis === 'analysis' ? 'won' : 'sent as the control (no winner was called)'}; sent to the rest ${when(w.at)}`}
        </li>
      ))}
    </ul>
  );
}

export function ExperimentAnalysis(p: { a: Analysis }) {
  const a = p.a;
  const pct = `${Math.round(a.confidence * 100)}%`;
  return (
    <section className="card analysis" aria-label="Experiment analysis">
      <h2>Experiment</h2>
      <p className={a.status === 'winner' ? 'ok verdict' : 'verdict'} role="status">
        {verdictOf(a)}
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th>Treatment</th>
            <th className="num">{a.metric === 'clicks' ? 'Messages' : 'Exposures'}</th>
            <th className="num">{metricLabel(a.metric)}</th>
            <th className="num">Rate</th>
            <th className="num">Lift vs control</th>
            <th className="num">{pct} interval</th>
            <th className="num">Probability to be best</th>
          </tr>
        </thead>
        <tbody>
          {a.arms.map((arm) => (
            <tr key={arm.id} className={arm.id === a.winner ? 'winner' : ''} data-arm={arm.id}>
              <td>
                {arm.name}
                {arm.control ? <span className="muted small"> control</span> : ''}
                {arm.id === a.winner ? <span className="badge status-live">winner</span> : ''}
              </td>
              <td className="num">{count(arm.exposures)}</td>
              <td className="num">
                {count(arm.successes)}
                {arm.events !== arm.successes ? (
                  <span className="muted small"> ({count(arm.events)} events)</span>
                ) : (
                  ''
                )}
              </td>
              <td className="num">{percent(arm.rate, 2)}</td>
              <td className="num">{arm.control ? '–' : signedPercent(arm.lift)}</td>
              <td className="num">
                {arm.liftLow === null || arm.liftHigh === null
                  ? '–'
                  : `${signedPercent(arm.liftLow)} to ${signedPercent(arm.liftHigh)}`}
              </td>
              <td className="num">{percent(arm.probabilityBest)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <HoldoutLine a={a} />
      <WinnerSends a={a} />
      <p className="muted small">Method: {a.method}.</p>
    </section>
  );
}
