// The journey canvas screen: toolbar, palette, canvas, side panel, and the test and report modes.
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JourneyNode } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { StatusBadge } from '../journeys/journey-list.tsx';
import { TestPanel } from '../test-mode/test-panel.tsx';
import { useActivityCounts } from '../reports/use-counts.ts';
import { Canvas } from './canvas.tsx';
import type { CanvasOverlay } from './canvas.tsx';
import { EMPTY_CATALOG, loadCatalog } from './catalog.ts';
import { addNode, connect, disconnect, makeNode, mapNode, removeNodes, withStart } from './graph.ts';
import type { PaletteItem } from './graph.ts';
import { autoLayout } from './layout.ts';
import { Palette } from './palette.tsx';
import { blankEntry } from './panels/journey-entry.tsx';
import { SidePanel } from './panels/side-panel.tsx';
import { Toolbar } from './toolbar.tsx';
import { useJourney } from './use-journey.ts';

export type Mode = 'edit' | 'test' | 'report';

export function JourneyEditor(props: { id: string }) {
  return <ReactFlowProvider><Editor id={props.id} /></ReactFlowProvider>;
}

function Editor({ id }: { id: string }) {
  const api = useApi();
  const newName = new URLSearchParams(location.search).get('new');
  const j = useJourney(api, id, newName);
  const catalog = useLoad(() => loadCatalog(api), [api]).data ?? EMPTY_CATALOG;
  const [selected, setSelected] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('edit');
  const [lit, setLit] = useState<{ nodes: Set<string>; edges: Set<string>; current: Set<string> }>({ nodes: new Set(), edges: new Set(), current: new Set() });
  const flow = useReactFlow();
  const dragBase = useRef<typeof j.def | null>(null);
  const version = j.summary?.latest.version;
  const counts = useActivityCounts(api, id, version, mode === 'report');
  const def = j.def;

  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (/INPUT|TEXTAREA|SELECT/.test(t.tagName) || t.isContentEditable) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) { e.preventDefault(); j.undo(); }
      else if (mod && (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey))) { e.preventDefault(); j.redo(); }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [j]);

  // A journey in test mode opens in the test view.
  useEffect(() => { if (j.status === 'test') setMode('test'); }, [j.loads, j.status]);

  useEffect(() => {
    if (j.loads === 0) return;
    const t = setTimeout(() => void flow.fitView({ padding: 0.2, maxZoom: 1.1 }), 60);
    return () => clearTimeout(t);
  }, [j.loads, flow]);

  const overlay = useMemo<CanvasOverlay>(() => ({
    errors: mode === 'edit' ? j.issues.byNode : new Map(),
    counts: mode === 'report' ? counts : undefined,
    litNodes: mode === 'test' ? lit.nodes : new Set(),
    litEdges: mode === 'test' ? lit.edges : new Set(),
    current: mode === 'test' ? lit.current : new Set(),
  }), [mode, j.issues, counts, lit]);

  function add(item: PaletteItem, position?: { x: number; y: number }) {
    const after = def.nodes.find((n) => n.id === selected);
    const pos = position ?? (after?.position ? { x: after.position.x + 240, y: after.position.y } : { x: def.nodes.length * 240, y: 120 });
    const node = makeNode(def, item, pos);
    let next = addNode(def, node);
    if (!position && after && after.kind !== 'end') next = connect(next, after.id, 'next', node.id);
    j.edit(next);
    setSelected(node.id);
  }

  async function changeMode(m: Mode) {
    if (m === mode) return;
    if (m === 'test' && j.status === 'draft' && !(await j.setTestMode(true))) return;
    if (mode === 'test' && j.status === 'test' && !(await j.setTestMode(false))) return;
    setMode(m);
  }

  const selectedNode = def.nodes.find((n) => n.id === selected) ?? null;
  const issues = selectedNode ? j.issues.byNode.get(selectedNode.id) ?? [] : j.issues.general;

  if (j.loadError) return <section className="page"><h1>Journey {id}</h1><p className="error" role="alert">{j.loadError}</p></section>;

  return (
    <div className="editor">
      <Toolbar
        name={def.name} status={j.status} version={version} saveState={j.saveState} busy={j.busy} mode={mode}
        canUndo={j.canUndo} canRedo={j.canRedo} readOnly={j.readOnly} id={id}
        onMode={(m) => void changeMode(m)} onUndo={j.undo} onRedo={j.redo} onSave={() => void j.save()} onCommand={(c) => void j.command(c)}
        onLayout={() => { j.edit(autoLayout(def)); requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ padding: 0.15, maxZoom: 1.1 }))); }}
        onFit={() => void flow.fitView({ padding: 0.2, duration: 200 })}
      />
      {j.commandError && <div className="banner error" role="alert"><pre>{j.commandError}</pre><button type="button" onClick={j.clearCommandError} aria-label="Dismiss">×</button></div>}
      {mode === 'edit' && j.issues.general.length > 0 && <div className="banner warn" role="status">{j.issues.general.join(' · ')}</div>}
      <div className="editor-body">
        {mode === 'edit' && <Palette catalog={catalog} disabled={j.readOnly} onAdd={(item) => add(item)} onEntry={(type) => { j.edit(withStart({ ...def, entry: blankEntry(type, catalog) })); setSelected(null); }} />}
        <Canvas
          def={def} readOnly={j.readOnly || mode !== 'edit'} selected={selected} overlay={overlay}
          onSelect={setSelected}
          onDrop={(item, pos) => add(item, pos)}
          onConnect={(s, h, t) => j.edit(connect(def, s, h, t))}
          onDisconnect={(es) => j.edit(es.reduce((d, e) => disconnect(d, e.source, e.handle, e.target), def))}
          onMove={(nid, position, done) => {
            if (j.readOnly) return;
            const cur = def.nodes.find((n) => n.id === nid)?.position;
            if (cur && cur.x === Math.round(position.x) && cur.y === Math.round(position.y) && !(done && dragBase.current)) return;
            const moved = mapNode(def, nid, (n) => ({ ...n, position: { x: Math.round(position.x), y: Math.round(position.y) } }));
            if (!done) { dragBase.current ??= def; j.edit(moved, true); return; }
            j.edit(moved, false, dragBase.current ?? undefined);
            dragBase.current = null;
          }}
          onRemove={(ids) => { j.edit(removeNodes(def, new Set(ids))); setSelected(null); }}
        />
        {mode === 'edit' && (
          <SidePanel
            def={def} node={selectedNode} catalog={catalog} readOnly={j.readOnly} issues={issues}
            onChange={(n: JourneyNode) => j.edit(mapNode(def, n.id, () => n))}
            onJourneyChange={(d) => j.edit(d)}
            onConnect={(s, h, t) => j.edit(t ? connect(def, s, h, t) : def)}
            onDisconnect={(s, h, t) => j.edit(disconnect(def, s, h, t))}
            onDelete={(nid) => { j.edit(removeNodes(def, new Set([nid]))); setSelected(null); }}
          />
        )}
        {mode === 'test' && <TestPanel journeyId={id} def={def} catalog={catalog} status={j.status} onPath={setLit} />}
        {mode === 'report' && <aside className="side-panel"><h2>Report</h2><p>Counts per activity are shown on the canvas (in: entered, out: exited, err: errors, timeout: timeouts).</p><a href={`/journeys/${encodeURIComponent(id)}/report`}>Open the full report</a></aside>}
      </div>
      <footer className="editor-status"><StatusBadge status={j.status} /> {version ? `v${version}` : 'not saved yet'} · {def.nodes.length} activities</footer>
    </div>
  );
}
