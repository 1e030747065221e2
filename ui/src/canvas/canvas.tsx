// The React Flow surface: activities and paths from the definition; drops, connections, moves and
// deletions go back to the editor as definition edits.
import { Background, Controls, MarkerType, ReactFlow, useReactFlow } from '@xyflow/react';
import type { Connection, EdgeChange, Edge as FlowEdge, NodeChange } from '@xyflow/react';
import { useMemo, useRef } from 'react';
import type { JourneyDefinition } from '../api/types.ts';
import { ActivityNode, activityDetail } from './activity-node.tsx';
import type { ActivityFlowNode } from './activity-node.tsx';
import { edgesOf } from './graph.ts';
import { RoutedEdge } from './routed-edge.tsx';
import { StartHint } from './start-hint.tsx';
import { directionOf } from './layout.ts';
import type { PaletteItem } from './graph.ts';

const nodeTypes = { activity: ActivityNode };
const edgeTypes = { routed: RoutedEdge };
export const DRAG_TYPE = 'application/x-waymark-activity';

export interface CanvasOverlay {
  readonly errors: ReadonlyMap<string, readonly string[]>;
  readonly counts?:
    | ReadonlyMap<string, { entered: number; exited: number; errors: number; timeouts: number }>
    | undefined;
  readonly litNodes: ReadonlySet<string>;
  readonly litEdges: ReadonlySet<string>;
  readonly current: ReadonlySet<string>;
}

export interface CanvasProps {
  readonly def: JourneyDefinition;
  readonly readOnly: boolean;
  readonly selected: string | null;
  readonly overlay: CanvasOverlay;
  onSelect(id: string | null): void;
  onDrop(item: PaletteItem, position: { x: number; y: number }): void;
  onConnect(source: string, handle: string, target: string): void;
  onDisconnect(edges: ReadonlyArray<{ source: string; handle: string; target: string }>): void;
  onMove(id: string, position: { x: number; y: number }, done: boolean): void;
  onRemove(ids: readonly string[]): void;
  /** Whether the "Journey start" button may show: only while editing (not in the test and report views). */
  readonly startHint: boolean;
  /** Shows the journey from its start (the "Journey start" button, shown while the start is out of view). */
  onShowStart(): void;
}

function handlesConnected(id: string, connected: ReadonlySet<string>): string {
  return [...connected]
    .filter((k) => k.startsWith(`${id}:`))
    .map((k) => k.slice(id.length + 1))
    .sort()
    .join(' ');
}

export function Canvas(p: CanvasProps) {
  const flow = useReactFlow();
  // React Flow v12 takes a node's size from the node objects we pass: a rebuilt node without
  // `measured` is hidden until measured again, so every edit made the activities blink (and a
  // re-measure lost to a busy browser left one hidden). Sizes React Flow reports are kept here.
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const direction = useMemo(() => directionOf(p.def), [p.def]);
  /** Handles with a path drawn from them: their name is on the path (an edge label), not beside the handle. */
  const connected = useMemo(
    () => new Set(edgesOf(p.def).map((e) => `${e.source}:${e.handle}`)),
    [p.def],
  );
  const nodes = useMemo<ActivityFlowNode[]>(
    () =>
      p.def.nodes.map((n, i) => ({
        id: n.id,
        type: 'activity',
        ...(measured.current.has(n.id) ? { measured: measured.current.get(n.id) } : {}),
        position: n.position ?? { x: i * 220, y: 100 },
        selected: n.id === p.selected,
        draggable: !p.readOnly,
        deletable: !p.readOnly,
        data: {
          node: n,
          start: n.id === p.def.start,
          errors: p.overlay.errors.get(n.id) ?? [],
          counts: p.overlay.counts?.get(n.id),
          lit: p.overlay.litNodes.has(n.id),
          current: p.overlay.current.has(n.id),
          direction,
          connected: handlesConnected(n.id, connected),
          detail: activityDetail(n, p.def),
        },
      })),
    [p.def, p.selected, p.readOnly, p.overlay, direction, connected],
  );

  const edges = useMemo<FlowEdge[]>(
    () =>
      edgesOf(p.def).map((e) => {
        const lit = p.overlay.litEdges.has(`${e.source}->${e.target}`);
        return {
          id: e.id,
          type: 'routed',
          source: e.source,
          sourceHandle: e.handle,
          target: e.target,
          targetHandle: 'in',
          // A named path (Timeout, a condition's paths) carries its name on the line, clear of the activities' text.
          ...(e.label
            ? {
                label: e.label,
                labelShowBg: true,
                labelBgPadding: [4, 2] as [number, number],
                labelBgBorderRadius: 3,
                labelStyle: { fontSize: 11, fill: '#2c2c2c' },
                labelBgStyle: { fill: '#fff', stroke: '#d0d0d0' },
                ariaLabel: `${e.label} path`,
              }
            : {}),
          deletable: !p.readOnly,
          animated: lit,
          className: lit ? 'lit' : '',
          markerEnd: { type: MarkerType.ArrowClosed },
          data: { handle: e.handle },
        };
      }),
    [p.def, p.readOnly, p.overlay],
  );

  function onNodesChange(changes: NodeChange<ActivityFlowNode>[]) {
    const removed: string[] = [];
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) measured.current.set(c.id, c.dimensions);
      else if (c.type === 'position' && c.position) p.onMove(c.id, c.position, !c.dragging);
      else if (c.type === 'position' && c.dragging === false)
        p.onMove(c.id, flow.getNode(c.id)?.position ?? { x: 0, y: 0 }, true);
      else if (c.type === 'remove') {
        removed.push(c.id);
        measured.current.delete(c.id);
      } else if (c.type === 'select' && c.selected) p.onSelect(c.id);
    }
    if (removed.length && !p.readOnly) p.onRemove(removed);
  }
  function onEdgesChange(changes: EdgeChange[]) {
    if (p.readOnly) return;
    const gone = changes
      .filter((c) => c.type === 'remove')
      .map((c) => edges.find((e) => e.id === c.id))
      .filter((e): e is FlowEdge => !!e);
    if (gone.length)
      p.onDisconnect(
        gone.map((e) => ({ source: e.source, handle: e.sourceHandle ?? 'next', target: e.target })),
      );
  }
  function onConnect(c: Connection) {
    if (!p.readOnly && c.source && c.target)
      p.onConnect(c.source, c.sourceHandle ?? 'next', c.target);
  }

  return (
    <div
      className="canvas"
      data-testid="canvas"
      onDragOver={(e) => {
        if (!p.readOnly && e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={(e) => {
        const raw = e.dataTransfer.getData(DRAG_TYPE);
        if (!raw || p.readOnly) return;
        e.preventDefault();
        p.onDrop(
          JSON.parse(raw) as PaletteItem,
          flow.screenToFlowPosition({ x: e.clientX - 90, y: e.clientY - 36 }),
        );
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => p.onSelect(null)}
        nodesConnectable={!p.readOnly}
        deleteKeyCode={['Delete', 'Backspace']}
        minZoom={0.2}
        maxZoom={2}
        defaultViewport={{ x: 20, y: 20, zoom: 1 }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        {p.startHint && <StartHint start={p.def.start} onShow={p.onShowStart} />}
      </ReactFlow>
    </div>
  );
}
