// One activity on the canvas: icon, label, kind, its outgoing handles, errors, counts and test path.
// Path names (Timeout, a condition's paths) are on the path once it is drawn (an edge label), and
// outside the activity beside its handle until then, so they never cover its text; labels wrap between words (long identifiers at "_" and camelCase humps).
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import { useEffect } from 'react';
import type { NodeProps, Node } from '@xyflow/react';
import type { JourneyDefinition, JourneyNode } from '../api/types.ts';
import { durationText } from './duration-text.ts';
import { KIND_ICON, KIND_LABEL, handlesOf } from './graph.ts';
import { Breakable } from './label-breaks.tsx';
import type { Direction } from './layout.ts';
import { reactionLabel } from './reaction-labels.ts';

export interface ActivityData extends Record<string, unknown> {
  readonly node: JourneyNode;
  readonly start: boolean;
  readonly errors: readonly string[];
  readonly counts?:
    { entered: number; exited: number; errors: number; timeouts: number } | undefined;
  readonly lit: boolean;
  readonly current: boolean;
  readonly direction: Direction;
  /** The handles with a path drawn from them, space-separated (their name is then on the path). */
  readonly connected: string;
  /** The second line (activityDetail with the journey: a reaction names the message it reacts to). */
  readonly detail: string;
}

export type ActivityFlowNode = Node<ActivityData, 'activity'>;

/**
 * The second line of an activity: what it is and its main setting, in words. A reaction says what it
 * waits for as its panel does, and the message activity it reacts to by its label (`def`'s).
 */
export function activityDetail(n: JourneyNode, def?: JourneyDefinition): string {
  switch (n.kind) {
    case 'event':
      return [
        n.label && n.label !== n.event ? n.event : 'Event',
        n.timeout ? `timeout ${durationText(n.timeout.duration)}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    case 'action':
      return n.label && n.label !== n.action ? n.action : 'Custom action';
    case 'wait':
      if (n.at !== undefined) return `Wait until ${n.at.slice(0, 16).replace('T', ' ')} UTC`;
      return n.until !== undefined ? 'Wait until a date' : `Wait ${durationText(n.duration)}`;
    case 'condition':
      return n.mode === 'split'
        ? 'Percentage split'
        : n.mode === 'time'
          ? 'Time condition'
          : n.mode === 'date'
            ? 'Date condition'
            : n.mode === 'profileCap'
              ? `Profile cap · first ${n.cap ?? '?'}`
              : 'Condition';
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
      return n.configuration ? `${KIND_LABEL[n.kind]} · ${n.configuration}` : KIND_LABEL[n.kind];
    case 'reaction': {
      const message = def?.nodes.find((m) => m.id === n.message);
      return [
        n.message
          ? `${reactionLabel(message?.kind, n.reaction)} · ${message?.label || n.message}`
          : 'Reaction',
        n.timeout ? `timeout ${durationText(n.timeout.duration)}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'updateProfile':
      return n.attribute ? `Set ${n.attribute}` : 'Update profile';
    case 'jump':
      return n.journey ? `Jump to ${n.journey}` : 'Jump';
    case 'end':
      return 'End';
  }
}

export function ActivityNode({ id, data, selected }: NodeProps<ActivityFlowNode>) {
  const n = data.node;
  const handles = handlesOf(n);
  const tb = data.direction === 'TB';
  // The canvas keeps each activity's measured size across edits (so it never blinks out while
  // React Flow measures it again); a path added or removed, or the direction, must re-measure.
  const updateInternals = useUpdateNodeInternals();
  const handleKey = `${data.direction}\n${handles.map((h) => h.id).join('\n')}`;
  useEffect(() => {
    updateInternals(id);
  }, [id, handleKey, updateInternals]);
  const label =
    n.label || (n.kind === 'event' ? n.event : n.kind === 'action' ? n.action : KIND_LABEL[n.kind]);
  const cls = [
    'activity',
    `kind-${n.kind}`,
    tb ? 'dir-tb' : 'dir-lr',
    selected ? 'selected' : '',
    data.errors.length ? 'has-errors' : '',
    data.lit ? 'lit' : '',
    data.current ? 'current' : '',
  ].join(' ');
  return (
    <div
      className={cls}
      data-testid={`node-${n.id}`}
      data-kind={n.kind}
      title={data.errors.join('\n') || label}
    >
      {!data.start && <Handle type="target" position={tb ? Position.Top : Position.Left} id="in" />}
      <div className="activity-icon" aria-hidden>
        {KIND_ICON[n.kind]}
      </div>
      <div className="activity-text">
        <div className="activity-label">
          <Breakable text={label} />
        </div>
        <div className="activity-kind">
          <Breakable text={data.detail} />
        </div>
      </div>
      {data.errors.length > 0 && (
        <div className="activity-error" role="note" aria-label={`${data.errors.length} problem(s)`}>
          ! {data.errors.length}
        </div>
      )}
      {data.counts && (
        <div className="activity-counts" aria-label="counts">
          <span title="entered" data-count="entered">
            in {data.counts.entered}
          </span>
          <span title="exited" data-count="exited">
            out {data.counts.exited}
          </span>
          {data.counts.errors > 0 && (
            <span className="bad" title="errors">
              err {data.counts.errors}
            </span>
          )}
          {data.counts.timeouts > 0 && <span title="timeouts">timeout {data.counts.timeouts}</span>}
        </div>
      )}
      {handles.map((h, i) => {
        const at = handles.length === 1 ? '50%' : `${((i + 1) * 100) / (handles.length + 1)}%`;
        return (
          <div key={h.id} className="handle-row" style={tb ? { left: at } : { top: at }}>
            {h.label && !data.connected.split(' ').includes(h.id) && (
              <span className="handle-label" data-handle-label={h.id}>
                {h.label}
              </span>
            )}
            <Handle
              type="source"
              position={tb ? Position.Bottom : Position.Right}
              id={h.id}
              data-handle={h.id}
            />
          </div>
        );
      })}
    </div>
  );
}
