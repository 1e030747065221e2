// Jump activity: the journey the profile enters (its newest live version, which must start with
// an event); this journey's event data goes with it.
import type { JumpNode } from '@waymark/shared/model/journey.ts';
import type { PanelProps } from './side-panel.tsx';

export function JumpPanel(p: PanelProps<JumpNode>) {
  const n = p.node;
  const targets = (p.catalog.journeys ?? []).filter((j) => j.name !== p.def.name);
  const chosen = targets.find((j) => j.id === n.journey);
  return (
    <>
      <label>
        Target journey
        <select
          name="journey"
          value={n.journey}
          onChange={(e) => p.onChange({ ...n, journey: e.target.value })}
        >
          <option value="">Choose a journey…</option>
          {targets.map((j) => (
            <option key={j.id} value={j.id} disabled={!j.eventEntry}>
              {j.name}
              {j.eventEntry ? (j.live ? '' : ' (not live)') : ' (starts with an audience)'}
            </option>
          ))}
        </select>
      </label>
      {chosen && !chosen.live && (
        <p className="muted small" role="note">
          {chosen.name} has no live version yet: publish it before this journey.
        </p>
      )}
      <p className="muted small">
        The profile enters the newest live version of the target; its first event takes this
        journey&apos;s entry event data. This journey goes on along its path.
      </p>
    </>
  );
}
