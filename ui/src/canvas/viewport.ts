// Fitting the canvas's view to activities: pure geometry on the activities' boxes (in canvas
// coordinates) and the canvas's size on screen, returning the view (pan and zoom) to set. The
// editor measures the boxes and sets the view; the rules live here.
import { MIN_READABLE_ZOOM } from './layout.ts';

/** An activity's box on the canvas. */
export type Box = { x: number; y: number; width: number; height: number };
/** The canvas's view: a point at x on the canvas is drawn at x * zoom + viewport.x on screen. */
export type Viewport = { x: number; y: number; zoom: number };
/** The canvas's size on screen. */
export type Size = { width: number; height: number };

/**
 * The viewport that fits activities' boxes in a canvas of `size` at a readable zoom (at most 1),
 * centred; `whole` is false when they cannot fit readably: then their start (top left) is shown at
 * the readable zoom and the canvas scrolls.
 */
export function fitFor(boxes: readonly Box[], size: Size): { viewport: Viewport; whole: boolean } {
  const b = around(boxes);
  const zoom = Math.min(1, (size.width - 60) / b.width, (size.height - 60) / b.height);
  const whole = zoom >= MIN_READABLE_ZOOM;
  const z = Math.max(zoom, MIN_READABLE_ZOOM);
  // Centred when it fits; otherwise its start (top left) is shown and the canvas scrolls.
  const x = whole ? (size.width - b.width * z) / 2 - b.x * z : 30 - b.x * z;
  const y = whole
    ? (size.height - b.height * z) / 2 - b.y * z
    : Math.max(30 - b.y * z, (size.height - b.height * z) / 2 - b.y * z);
  return { viewport: { x, y, zoom: z }, whole };
}

/** Whether a box is wholly inside a canvas of `size` seen through `v`. */
export function inView(b: Box, v: Viewport, size: Size): boolean {
  return (
    b.x * v.zoom + v.x >= 0 &&
    b.y * v.zoom + v.y >= 0 &&
    (b.x + b.width) * v.zoom + v.x <= size.width &&
    (b.y + b.height) * v.zoom + v.y <= size.height
  );
}

/**
 * The view `v` panned just enough for a box to be in view with a margin (the zoom and the rest of
 * the view stay); `v` itself when it already is.
 */
export function panToShow(b: Box, v: Viewport, size: Size, margin = 40): Viewport {
  const left = b.x * v.zoom + v.x;
  const top = b.y * v.zoom + v.y;
  const right = left + b.width * v.zoom;
  const bottom = top + b.height * v.zoom;
  const dx =
    right > size.width - margin ? size.width - margin - right : left < margin ? margin - left : 0;
  const dy =
    bottom > size.height - margin ? size.height - margin - bottom : top < margin ? margin - top : 0;
  return dx || dy ? { x: v.x + dx, y: v.y + dy, zoom: v.zoom } : v;
}

/**
 * The view that shows the journey from its start: as Fit shows it, panned to the start when Fit's
 * view leaves it out (an activity placed left of or above the start).
 */
export function viewOfStart(boxes: ReadonlyMap<string, Box>, start: string, size: Size): Viewport {
  const f = fitFor([...boxes.values()], size).viewport;
  const first = boxes.get(start);
  return first ? panToShow(first, f, size, 30) : f;
}

/** Where a box lies off a canvas of `size` seen through `v`: null when it is wholly in view. */
export function offSide(b: Box, v: Viewport, size: Size): 'left' | 'right' | 'up' | 'down' | null {
  if (inView(b, v, size)) return null;
  if (b.x * v.zoom + v.x < 0) return 'left';
  if ((b.x + b.width) * v.zoom + v.x > size.width) return 'right';
  return b.y * v.zoom + v.y < 0 ? 'up' : 'down';
}

/** The box around boxes. */
function around(boxes: readonly Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return {
    x,
    y,
    width: Math.max(...boxes.map((b) => b.x + b.width)) - x,
    height: Math.max(...boxes.map((b) => b.y + b.height)) - y,
  };
}

/**
 * The view after activities were added from the palette, or null to leave `now` as it is. When one
 * of them or the journey's start is out of view, the journey is fitted as Fit does (whole when it
 * fits at a readable zoom, else from its start) if the new activities are then in view; else the
 * start and the new activities are fitted if they fit readably together. Else they cannot both be
 * shown at a readable zoom: the new activities are shown, and as much of the path from the start
 * as the canvas holds: at the readable zoom (or the person's, when lower), the view is laid from
 * the start and the new activities' top left as Fit lays a journey too big for the canvas (on the
 * start's row and column while the new activities fit beside them), then panned just enough to
 * show the new activities (the first of them when they do not all fit). A view with both in sight
 * is left as the person set it.
 */
export function viewAfterAdd(
  boxes: ReadonlyMap<string, Box>,
  start: string,
  added: readonly string[],
  now: Viewport,
  size: Size,
): Viewport | null {
  const fresh = added.flatMap((id) => boxes.get(id) ?? []);
  const first = boxes.get(start);
  if ([...fresh, ...(first ? [first] : [])].every((b) => inView(b, now, size))) return null;
  const f = fitFor([...boxes.values()], size);
  if (f.whole || fresh.every((b) => inView(b, f.viewport, size))) return f.viewport;
  if (!fresh[0]) return null;
  if (!first) {
    const shown = panToShow(fresh[0], now, size);
    return shown === now ? null : shown;
  }
  // Too big to fit readably: the start and the new activities if they fit together.
  const g = fitFor([first, ...fresh], size);
  if (g.whole) return g.viewport;
  // Else from the start, panned to the new activities.
  const zoom = Math.min(now.zoom, MIN_READABLE_ZOOM);
  const pair = around([first, ...fresh]);
  const from = {
    x: 30 - pair.x * zoom,
    y: Math.max(30 - pair.y * zoom, (size.height - pair.height * zoom) / 2 - pair.y * zoom),
    zoom,
  };
  // Fit's margin, so that a new activity in the start's column or row leaves the view on the start.
  return panToShow(fresh[0], panToShow(around(fresh), from, size, 30), size, 30);
}
