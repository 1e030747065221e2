// One activity on the canvas: icon, label, kind, its outgoing handles, errors, counts and test path.
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import { useEffect } from 'react';
import type { NodeProps, Node } from '@xyflow/react';
import type { JourneyNode } from '../api/types.ts';
import { KIND_ICON, KIND_LABEL, handlesOf } from './graph.ts';

export interface ActivityData extends Record<string, unknown> {
  readonly node: JourneyNode;
  readonly start: boolean;
  readonly errors: readonly string[];
  readonly counts?: { entered: number; exited: number; errors: number; timeouts: number } | undefined;
  readonly lit: boolean;
  readonly current: boolean;
}

export type ActivityFlowNode = Node<ActivityData, 'activity'>;

export function ActivityNode({ id, data, selected }: NodeProps<ActivityFlowNode>) {
  const n = data.node;
  const handles = handlesOf(n);
  // The canvas keeps each activity's measured size across edits (so it never blinks out while
  // React Flow measures it again); a path added or removed must then re-measure the handles.
  const updateInternals = useUpdateNodeInternals();
  const handleKey = handles.map((h) => h.id).join('\n');
  useEffect(() => { updateInternals(id); }, [id, handleKey, updateInternals]);
  const detail = n.kind === 'event' ? n.event : n.kind === 'action' ? n.action : KIND_LABEL[n.kind];
  const cls = ['activity', `kind-${n.kind}`, selected ? 'selected' : '', data.errors.length ? 'has-errors' : '', data.lit ? 'lit' : '', data.current ? 'current' : ''].join(' ');
  return (
    <div className={cls} data-testid={`node-${n.id}`} data-kind={n.kind} title={data.errors.join('\n') || undefined}>
      {!data.start && <Handle type="target" position={Position.Left} id="in" />}
      <div className="activity-icon" aria-hidden>{KIND_ICON[n.kind]}</div>
      <div className="activity-text">
        <div className="activity-label">{n.label || (n.kind === 'event' ? n.event : n.kind === 'action' ? n.action : KIND_LABEL[n.kind])}</div>
        <div className="activity-kind">{detail}{n.kind === 'event' && n.timeout ? ` · timeout ${String(n.timeout.duration)}` : ''}</div>
      </div>
      {data.errors.length > 0 && <div className="activity-error" role="note" aria-label={`${data.errors.length} problem(s)`}>! {data.errors.length}</div>}
      {data.counts && (
        <div className="activity-counts" aria-label="counts">
          <span title="entered" data-count="entered">in {data.counts.entered}</span>
          <span title="exited" data-count="exited">out {data.counts.exited}</span>
          {data.counts.errors > 0 && <span className="bad" title="errors">err {data.counts.errors}</span>}
          {data.counts.timeouts > 0 && <span title="timeouts">timeout {data.counts.timeouts}</span>}
        </div>
      )}
      {handles.map((h, i) => (
        <div key={h.id} className="handle-row" style={{ top: handles.length === 1 ? '50%' : `${((i + 1) * 100) / (handles.length + 1)}%` }}>
          {h.label && <span className="handle-label">{h.label}</span>}
          <Handle type="source" position={Position.Right} id={h.id} data-handle={h.id} />
        </div>
      ))}
    </div>
  );
}
