// "Journey start": when the journey's start is out of the canvas's view (a journey too wide to fit
// at a readable zoom, once the view followed a new activity or the person panned), a small button
// on the canvas points the way to it and brings the journey back from its start, as Fit does.
import { Panel, useInternalNode, useStore, useViewport } from '@xyflow/react';
import { NODE_H, NODE_W } from './layout.ts';
import { offSide } from './viewport.ts';

const ARROWS = { left: '←', right: '→', up: '↑', down: '↓' } as const;

export function StartHint(p: { start: string; onShow(): void }) {
  const v = useViewport();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const n = useInternalNode(p.start);
  if (!n || !width || !height) return null;
  const box = {
    ...n.internals.positionAbsolute,
    width: n.measured.width ?? NODE_W,
    height: n.measured.height ?? NODE_H,
  };
  const side = offSide(box, v, { width, height });
  if (!side) return null;
  return (
    <Panel position="top-left" className="start-hint">
      <button
        type="button"
        onClick={p.onShow}
        title="The journey's start is out of view: show the journey from its start"
      >
        <span aria-hidden="true">{ARROWS[side]}</span> Journey start
      </button>
    </Panel>
  );
}
