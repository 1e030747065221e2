// A path between two activities that goes around the activities in its way: a bezier when the
// straight way is clear, otherwise a lane beside the activities it would cross (a long path such as
// "purchase → LoyaltyService" in the lab no longer runs behind four activities).
import { BaseEdge, getBezierPath, useNodes } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { NODE_H, NODE_W } from './layout.ts';

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Whether the segment a→b passes through the rectangle (shrunk a little: grazing is fine). */
function crosses(a: { x: number; y: number }, b: { x: number; y: number }, r: Rect): boolean {
  const pad = 4;
  const [x0, y0, x1, y1] = [r.x + pad, r.y + pad, r.x + r.w - pad, r.y + r.h - pad];
  for (let i = 0; i <= 24; i++) {
    const t = i / 24;
    const x = a.x + (b.x - a.x) * t;
    const y = a.y + (b.y - a.y) * t;
    if (x > x0 && x < x1 && y > y0 && y < y1) return true;
  }
  return false;
}

/** A polyline with rounded corners. */
function rounded(points: ReadonlyArray<{ x: number; y: number }>, radius = 10): string {
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const prev = points[i - 1]!;
    const next = points[i + 1]!;
    const r = Math.min(
      radius,
      Math.hypot(p.x - prev.x, p.y - prev.y) / 2,
      Math.hypot(next.x - p.x, next.y - p.y) / 2,
    );
    const a = { x: p.x + Math.sign(prev.x - p.x) * r, y: p.y + Math.sign(prev.y - p.y) * r };
    const b = { x: p.x + Math.sign(next.x - p.x) * r, y: p.y + Math.sign(next.y - p.y) * r };
    d += ` L ${a.x} ${a.y} Q ${p.x} ${p.y} ${b.x} ${b.y}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L ${last.x} ${last.y}`;
}

export function RoutedEdge(p: EdgeProps) {
  const nodes = useNodes();
  const rects: Rect[] = nodes
    .filter((n) => n.id !== p.source && n.id !== p.target)
    .map((n) => ({
      x: n.position.x,
      y: n.position.y,
      w: n.measured?.width ?? NODE_W,
      h: n.measured?.height ?? NODE_H,
    }));
  const s = { x: p.sourceX, y: p.sourceY };
  const t = { x: p.targetX, y: p.targetY };
  const tb = p.sourcePosition === 'bottom';
  const blocked = rects.filter((r) => crosses(s, t, r));
  let path: string;
  let labelX: number;
  let labelY: number;
  if (!blocked.length) {
    [path, labelX, labelY] = getBezierPath(p);
  } else if (tb) {
    // Down out of the source, along a lane right of what is in the way, into the target from above.
    const lane = Math.max(...blocked.map((r) => r.x + r.w)) + 24;
    const pts = [
      s,
      { x: s.x, y: s.y + 16 },
      { x: lane, y: s.y + 16 },
      { x: lane, y: t.y - 16 },
      { x: t.x, y: t.y - 16 },
      t,
    ];
    path = rounded(pts);
    [labelX, labelY] = [(s.x + lane) / 2, s.y + 16];
  } else {
    const lane = Math.max(...blocked.map((r) => r.y + r.h)) + 24;
    const pts = [
      s,
      { x: s.x + 16, y: s.y },
      { x: s.x + 16, y: lane },
      { x: t.x - 16, y: lane },
      { x: t.x - 16, y: t.y },
      t,
    ];
    path = rounded(pts);
    [labelX, labelY] = [s.x + 16, (s.y + lane) / 2];
  }
  return (
    <BaseEdge
      id={p.id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={p.label}
      labelStyle={p.labelStyle}
      labelShowBg={p.labelShowBg}
      labelBgStyle={p.labelBgStyle}
      labelBgPadding={p.labelBgPadding}
      labelBgBorderRadius={p.labelBgBorderRadius}
      {...(p.markerEnd ? { markerEnd: p.markerEnd } : {})}
      {...(p.style ? { style: p.style } : {})}
      {...(p.interactionWidth !== undefined ? { interactionWidth: p.interactionWidth } : {})}
    />
  );
}
