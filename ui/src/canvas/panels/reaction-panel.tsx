// Reaction activity (AJO's "Reactions"): the message activity it reacts to, the reaction (what
// the channel reports: sent, opened, clicked, bounced), and the timeout with its path.
import { isMessageNode, type ReactionNode } from '@waymark/shared/model/journey.ts';
import { REACTIONS_BY_CHANNEL } from '@waymark/shared/journey/reaction.ts';
import { CHANNEL_LABEL, REACTIONS, reactionLabel } from '../reaction-labels.ts';
import { DurationInput } from './duration-input.tsx';
import type { PanelProps } from './side-panel.tsx';

export function ReactionPanel(p: PanelProps<ReactionNode>) {
  const n = p.node;
  const messages = p.def.nodes.filter(isMessageNode);
  const message = messages.find((m) => m.id === n.message);
  const allowed = message ? REACTIONS_BY_CHANNEL[message.kind] : [];
  return (
    <>
      <label>
        Message activity
        <select
          name="message"
          value={n.message}
          onChange={(e) => p.onChange({ ...n, message: e.target.value })}
        >
          <option value="">Choose the message…</option>
          {messages.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label || m.id} ({CHANNEL_LABEL[m.kind] ?? m.kind})
            </option>
          ))}
        </select>
      </label>
      <label>
        Reaction
        <select
          name="reaction"
          value={n.reaction}
          onChange={(e) =>
            p.onChange({ ...n, reaction: e.target.value as ReactionNode['reaction'] })
          }
        >
          {(allowed.length ? allowed : REACTIONS).map((r) => (
            <option key={r} value={r}>
              {reactionLabel(message?.kind, r)}
            </option>
          ))}
        </select>
      </label>
      {message && !allowed.includes(n.reaction) && (
        <p className="muted small" role="note">
          This {CHANNEL_LABEL[message.kind] ?? message.kind} message reports{' '}
          {allowed.map((r) => reactionLabel(message.kind, r).toLowerCase()).join(', ')} only.
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          name="timeout"
          checked={!!n.timeout}
          onChange={(e) => {
            const { timeout: _t, ...rest } = n;
            p.onChange(e.target.checked ? { ...n, timeout: { duration: 'P1D', next: [] } } : rest);
          }}
        />{' '}
        Define the reaction timeout
      </label>
      {n.timeout && (
        <>
          <DurationInput
            label="Timeout"
            value={n.timeout.duration}
            onChange={(v) => p.onChange({ ...n, timeout: { ...n.timeout!, duration: v } })}
          />
          <label className="check">
            <input
              type="checkbox"
              name="timeout-path"
              checked={!!n.timeout.next}
              onChange={(e) => {
                const { next: _n, ...t } = n.timeout!;
                p.onChange({ ...n, timeout: e.target.checked ? { ...t, next: [] } : t });
              }}
            />{' '}
            Set a timeout path
          </label>
        </>
      )}
    </>
  );
}
