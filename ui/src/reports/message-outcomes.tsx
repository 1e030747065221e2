// The report's message part: outcomes per message activity, exclusions by reason, and link clicks
// with "Create audience" (POST /v1/audiences/from-feedback: an audience of the profiles who clicked
// that link, evaluated at once).
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { fromFeedbackAnswer } from '@waymark/shared/api/audiences.ts';
import { errorText } from '../api/client.ts';
import type { ActivityCounts, JourneyReport } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useDialogs } from '../app/dialog.tsx';
import { Link } from '../app/shell.tsx';
import {
  MESSAGE_OUTCOMES,
  addMessageCounts,
  emptyMessageCounts,
} from '@waymark/shared/reports/message-counts.ts';
import { BarChart } from './charts.tsx';

const COLORS: Record<string, string> = {
  sent: '#2680eb',
  delivered: '#2d9d78',
  opened: '#9256d9',
  clicked: '#e68619',
  excluded: '#6e6e6e',
};

export function MessageOutcomes(p: {
  journeyId: string;
  activities: readonly ActivityCounts[];
  links: NonNullable<JourneyReport['links']>;
}) {
  const api = useApi();
  const dialogs = useDialogs();
  const [msg, setMsg] = useState<{ ok: boolean; text: string; audience?: string } | null>(null);
  const messages = p.activities.filter((a) => a.messages);
  const reasons = new Map(
    Object.entries(
      messages.reduce((sum, a) => addMessageCounts(sum, a.messages!), emptyMessageCounts())
        .excludedBy,
    ),
  );
  const label = (id: string) => p.activities.find((a) => a.id === id)?.label ?? id;

  async function createAudience(activity: string, url: string) {
    const name = await dialogs.prompt({
      title: 'Create an audience of the profiles who clicked',
      label: 'Audience name',
      confirmLabel: 'Create audience',
      initial: `Clicked ${url.replace(/^https?:\/\//, '').slice(0, 60)} (${label(activity)})`,
    });
    if (!name) return;
    try {
      // The server creates the audience and evaluates it at once, so its members are there now.
      const r = await api.post<Answer<typeof fromFeedbackAnswer>>('/v1/audiences/from-feedback', {
        name,
        action: 'clicked',
        journeyId: p.journeyId,
        node: activity,
        link: url,
      });
      setMsg({
        ok: true,
        text: `Audience "${name}" created with ${r.run.size} member${r.run.size === 1 ? '' : 's'}.`,
        audience: name,
      });
    } catch (err) {
      setMsg({ ok: false, text: errorText(err) });
    }
  }

  if (!messages.length) return null;
  return (
    <>
      <BarChart
        title="Messages per activity"
        categories={messages.map((a) => a.label ?? a.id)}
        series={(['sent', 'delivered', 'opened', 'clicked', 'excluded'] as const).map((k) => ({
          name: k,
          color: COLORS[k]!,
          values: messages.map((a) => a.messages![k]),
        }))}
      />
      {reasons.size > 0 && (
        <BarChart
          title="Excluded, by reason"
          categories={[...reasons.keys()]}
          series={[{ name: 'excluded', color: '#6e6e6e', values: [...reasons.values()] }]}
        />
      )}
      <h2>Messages</h2>
      <table className="grid" aria-label="Message outcomes">
        <thead>
          <tr>
            <th>Activity</th>
            {MESSAGE_OUTCOMES.map((o) => (
              <th key={o}>{o}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {messages.map((a) => (
            <tr key={a.id}>
              <td>{a.label ?? a.id}</td>
              {MESSAGE_OUTCOMES.map((o) => (
                <td key={o}>{a.messages![o]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Link clicks</h2>
      {msg && (
        <p className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
          {msg.audience && (
            <>
              {' '}
              <Link to={`/objects/audiences/${encodeURIComponent(msg.audience)}`}>
                Open the audience
              </Link>
            </>
          )}
        </p>
      )}
      <table className="grid" aria-label="Link clicks">
        <thead>
          <tr>
            <th>Activity</th>
            <th>Link</th>
            <th>Clicks</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {p.links.map((l) => (
            <tr
              key={`${l.version}:${l.activity}:${l.url}`}
              onContextMenu={(e) => {
                e.preventDefault();
                void createAudience(l.activity, l.url);
              }}
            >
              <td>{label(l.activity)}</td>
              <td>
                <code>{l.url}</code>
              </td>
              <td>{l.clicks}</td>
              <td>
                <button type="button" onClick={() => void createAudience(l.activity, l.url)}>
                  Create audience
                </button>
              </td>
            </tr>
          ))}
          {p.links.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No clicks yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
