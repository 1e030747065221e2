// The journey canvas screen: toolbar, palette, canvas, side panel, and the test and report modes.
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JourneyDefinition, JourneyNode } from '../api/types.ts';
import { isMessageNode } from '@waymark/shared/model/journey.ts';
import { useDialogs } from '../app/dialog.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { StatusBadge } from '../journeys/journey-list.tsx';
import { TestPanel } from '../test-mode/test-panel.tsx';
import { useActivityCounts } from '../reports/use-counts.ts';
import { DryRunSummary } from '../reports/dry-run-summary.tsx';
import { Canvas } from './canvas.tsx';
import type { CanvasOverlay } from './canvas.tsx';
import { EMPTY_CATALOG, loadCatalog } from './catalog.ts';
import {
  addNode,
  connect,
  disconnect,
  makeNode,
  mapNode,
  removeNodes,
  withStart,
} from './graph.ts';
import type { PaletteItem } from './graph.ts';
import { diffDefinitions } from './definition-diff.ts';
import { NODE_H, NODE_W, autoLayout, directionOf } from './layout.ts';
import { Palette } from './palette.tsx';
import { blankEntry } from './panels/journey-entry.tsx';
import { SidePanel } from './panels/side-panel.tsx';
import { Toolbar } from './toolbar.tsx';
import {
  ApprovalBanner,
  DecisionDialog,
  RequestApprovalDialog,
  useJourneyApproval,
} from '../admin/journey-approval.tsx';
import type { Decision } from '../admin/journey-approval.tsx';
import { useJourney } from './use-journey.ts';
import { fitFor, viewAfterAdd, viewOfStart } from './viewport.ts';
import type { Box } from './viewport.ts';

export type Mode = 'edit' | 'test' | 'report';

export function JourneyEditor(props: { id: string }) {
  return (
    <ReactFlowProvider>
      <Editor id={props.id} />
    </ReactFlowProvider>
  );
}

function Editor({ id }: { id: string }) {
  const api = useApi();
  const newName = new URLSearchParams(location.search).get('new');
  const j = useJourney(api, id, newName);
  const catalogLoad = useLoad(() => loadCatalog(api), [api]);
  const catalog = catalogLoad.data ?? EMPTY_CATALOG;
  const [selected, setSelected] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('edit');
  const [lit, setLit] = useState<{ nodes: Set<string>; edges: Set<string>; current: Set<string> }>({
    nodes: new Set(),
    edges: new Set(),
    current: new Set(),
  });
  const flow = useReactFlow();
  const dragBase = useRef<typeof j.def | null>(null);
  const version = j.summary?.latest.version;
  const counts = useActivityCounts(api, id, version, mode === 'report');
  const def = j.def;
  const dialogs = useDialogs();
  usePageTitle(def.name || id, 'Journeys');
  useLeaveGuard(j.unsaved);
  // Approvals: with the sandbox's policy on, a draft is sent for review, read only while pending.
  const approval = useJourneyApproval(api, id, version);
  const inReview = approval.pending !== null && (j.status === 'draft' || j.status === 'test');
  const locked = j.readOnly || inReview;
  // While the journey reloads, nothing on it can be changed either: the reloaded copy replaces what
  // is on screen, and an edit made meanwhile would be dropped without a word.
  const frozen = locked || j.reloading;
  // The editor shows once what it draws is known: the journey, the sandbox's objects (the palette's
  // events and actions, the panels' choices) and whether it is in review. Drawn earlier, the palette
  // grew under the pointer when they arrived (a drag took the item above the one pressed), and a
  // journey in review looked editable.
  const ready =
    j.ready && (catalogLoad.data !== undefined || catalogLoad.error !== null) && approval.loaded;
  const [asking, setAsking] = useState(false);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(
    () => localStorage.getItem('waymark.palette') !== 'closed' && innerWidth >= 1200,
  );

  // A journey in test mode opens in the test view (the debugger), else Edit would not leave test mode.
  useEffect(() => {
    if (j.status === 'test') setMode((m) => (m === 'edit' ? 'test' : m));
  }, [j.loads, j.status]);

  // A save answered "someone else saved a newer version": the person decides, nothing is overwritten.
  useEffect(() => {
    const c = j.conflict;
    if (!c) return;
    let live = true;
    void (async () => {
      const choice = await dialogs.choose({
        title: 'Someone else changed this journey',
        body: (
          <p>
            A newer version of <strong>{def.name}</strong> was saved after you opened it. Your
            changes are not saved yet.
          </p>
        ),
        actions: [
          { label: 'Compare', value: 'compare', tone: 'plain' },
          { label: 'Reload theirs', value: 'reload', tone: 'primary' },
        ],
        cancelLabel: 'Keep editing',
      });
      if (!live) return;
      if (choice === 'reload') {
        await j.reload();
        return;
      }
      if (choice !== 'compare') return;
      const theirs = await j.theirs();
      const diffs = diffDefinitions(c.mine, theirs);
      const next = await dialogs.choose({
        title: 'Your changes and theirs',
        body: <CompareList mine={c.mine} theirs={theirs} diffs={diffs} />,
        actions: [
          { label: 'Overwrite with mine', value: 'mine', tone: 'danger' },
          { label: 'Reload theirs', value: 'reload', tone: 'primary' },
        ],
        cancelLabel: 'Keep editing',
      });
      if (next === 'reload') await j.reload();
      else if (next === 'mine') await j.overwrite();
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [j.conflict]);

  /** The canvas's box on screen. */
  const canvasBox = () => document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();

  /** The activities' boxes on the canvas: as measured, or the layout's size for those not measured yet (just loaded or added). */
  function boxesOf(
    nodes: ReadonlyArray<{ id: string; position?: { x: number; y: number } | undefined }>,
  ): Map<string, Box> {
    return new Map(
      nodes.map((n, i) => {
        const m = flow.getNode(n.id)?.measured;
        const p = n.position ?? { x: i * 220, y: 100 };
        return [n.id, { x: p.x, y: p.y, width: m?.width ?? NODE_W, height: m?.height ?? NODE_H }];
      }),
    );
  }

  /** Fits the journey at a readable zoom: when it cannot fit readably, its start is shown at that zoom and the canvas scrolls. */
  function fit(duration = 0) {
    // The activities as drawn (after an auto-layout, its positions).
    const nodes = flow.getNodes();
    const box = canvasBox();
    if (!nodes.length || !box) return;
    void flow.setViewport(fitFor([...boxesOf(nodes).values()], box).viewport, { duration });
  }

  /** After activities are added from the palette: the start and the new ones in view (see viewAfterAdd). */
  function keepInView(d: JourneyDefinition, added: readonly string[]) {
    const box = canvasBox();
    if (!box) return;
    const v = viewAfterAdd(boxesOf(d.nodes), d.start, added, flow.getViewport(), box);
    if (v) void flow.setViewport(v, { duration: 200 });
  }

  // Undo and redo from the keyboard, outside text fields (they have their own).
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (/INPUT|TEXTAREA|SELECT/.test(t.tagName) || t.isContentEditable) return;
      const mod = e.ctrlKey || e.metaKey;
      if (locked) return;
      if (mod && e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        j.undo();
      } else if (
        mod &&
        (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey))
      ) {
        e.preventDefault();
        j.redo();
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, [j, locked]);

  useEffect(() => {
    if (j.loads === 0 || !ready) return;
    const t = setTimeout(() => fit(), 60);
    return () => clearTimeout(t);
    // fit() reads only flow: once per load (once the canvas is drawn), not once per render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [j.loads, flow, ready]);

  const overlay = useMemo<CanvasOverlay>(
    () => ({
      errors: mode === 'edit' ? j.issues.byNode : new Map(),
      counts: mode === 'report' ? counts : undefined,
      litNodes: mode === 'test' ? lit.nodes : new Set(),
      litEdges: mode === 'test' ? lit.edges : new Set(),
      current: mode === 'test' ? lit.current : new Set(),
    }),
    [mode, j.issues, counts, lit],
  );

  function add(item: PaletteItem, position?: { x: number; y: number }) {
    if (frozen) return;
    const after = def.nodes.find((n) => n.id === selected);
    const pos = position ?? placeFor(def, after);
    const made = makeNode(def, item, pos);
    // A reaction added after a message reacts to that message.
    const node =
      made.kind === 'reaction' && !position && after !== undefined && isMessageNode(after)
        ? {
            ...made,
            message: after.id,
            reaction: after.kind === 'email' || after.kind === 'inApp' ? made.reaction : 'sent',
          }
        : made;
    let next = addNode(def, node);
    if (!position && after && after.kind !== 'end') next = connect(next, after.id, 'next', node.id);
    // As in AJO, an in-app message is followed by a 3-day wait: its message is shown only while the
    // profile is in the journey, and a journey that ended at once would withdraw it at once.
    if (node.kind === 'inApp' && !position) {
      const wait = makeNode(next, { kind: 'wait' }, placeFor(next, node));
      next = connect(
        addNode(next, wait.kind === 'wait' ? { ...wait, duration: 'P3D' } : wait),
        node.id,
        'next',
        wait.id,
      );
    }
    j.edit(next);
    setSelected(node.id);
    if (!position) {
      const added = next.nodes
        .filter((n) => !def.nodes.some((o) => o.id === n.id))
        .map((n) => n.id);
      requestAnimationFrame(() => keepInView(next, added));
    }
  }

  /** Where a new activity goes: after the selected one (in the journey's direction, on a free spot), else in the middle of the view. */
  function placeFor(
    d: JourneyDefinition,
    after: JourneyNode | undefined,
  ): { x: number; y: number } {
    const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const centre = box
      ? flow.screenToFlowPosition({
          x: box.x + box.width / 2 - NODE_W / 2,
          y: box.y + box.height / 2 - NODE_H / 2,
        })
      : { x: 0, y: 0 };
    if (!after?.position) return { x: Math.round(centre.x), y: Math.round(centre.y) };
    const down = directionOf(d) === 'TB';
    const step = down ? { x: 0, y: NODE_H + 60 } : { x: NODE_W + 90, y: 0 };
    const side = down ? { x: NODE_W + 40, y: 0 } : { x: 0, y: NODE_H + 40 };
    const free = (p: { x: number; y: number }) =>
      d.nodes.every(
        (n) =>
          !n.position ||
          Math.abs(n.position.x - p.x) >= NODE_W ||
          Math.abs(n.position.y - p.y) >= NODE_H,
      );
    const first = { x: after.position.x + step.x, y: after.position.y + step.y };
    for (let i = 0; i < 8; i++) {
      const p = { x: first.x + side.x * i, y: first.y + side.y * i };
      if (free(p)) return p;
    }
    return first;
  }

  async function changeMode(m: Mode) {
    if (m === mode) return;
    if (m === 'test' && j.status === 'draft' && !(await j.setTestMode(true))) return;
    // Only editing leaves test mode: the Report tab shows the test version's counts and running test profiles go on.
    if (m === 'edit' && j.status === 'test' && !(await j.setTestMode(false))) return;
    setMode(m);
  }

  const selectedNode = def.nodes.find((n) => n.id === selected) ?? null;
  const issues = selectedNode ? (j.issues.byNode.get(selectedNode.id) ?? []) : j.issues.general;

  if (j.loadError)
    return (
      <section className="page">
        <h1>Journey {id}</h1>
        <p className="error" role="alert">
          {j.loadError}
        </p>
      </section>
    );

  if (!ready)
    return (
      <section className="page">
        <p className="muted" role="status">
          Loading journey {id}…
        </p>
      </section>
    );

  return (
    <div className="editor">
      <Toolbar
        name={def.name}
        status={j.status}
        version={version}
        saveState={j.saveState}
        busy={j.busy}
        mode={mode}
        canUndo={j.canUndo}
        canRedo={j.canRedo}
        readOnly={locked}
        reloading={j.reloading}
        id={id}
        access={{
          canPublish: approval.canPublish,
          canManage: approval.canManage,
          policy: approval.policy,
          inReview,
          mayDecide: inReview && approval.block === null,
          onRequest: () => setAsking(true),
          onDecide: (d) => setDeciding(d),
        }}
        problems={
          [...j.issues.byNode.values()].reduce((a, x) => a + x.length, 0) + j.issues.general.length
        }
        onMode={(m) => void changeMode(m)}
        onUndo={j.undo}
        onRedo={j.redo}
        onSave={() => void j.save()}
        onCommand={(c) => void j.command(c)}
        onDryRun={(enabled) => void j.setDryRun(enabled)}
        onLayout={() => {
          const box = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
          j.edit(autoLayout(def, box ? { width: box.width, height: box.height } : undefined));
          requestAnimationFrame(() => requestAnimationFrame(() => fit()));
        }}
        onFit={() => fit(200)}
      />
      {(j.status === 'dryRun' || j.status === 'draft') && (
        <DryRunSummary
          api={api}
          id={id}
          running={j.status === 'dryRun'}
          onEnded={() => void j.reload()}
        />
      )}
      <ApprovalBanner
        api={api}
        approval={approval}
        onChanged={() => {
          approval.reload();
          void j.reload();
        }}
      />
      {asking && (
        <RequestApprovalDialog
          api={api}
          journeyId={id}
          name={def.name}
          version={version}
          onClose={() => setAsking(false)}
          beforeSend={async () => {
            if (j.unsaved() && !(await j.save()))
              throw new Error(
                'The journey could not be saved: see the problems shown on the activities.',
              );
          }}
          onDone={() => {
            setAsking(false);
            approval.reload();
            void j.reload();
          }}
        />
      )}
      {deciding && approval.pending && (
        <DecisionDialog
          api={api}
          approval={approval.pending}
          decision={deciding}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            approval.reload();
            void j.reload();
          }}
        />
      )}
      {j.commandError && (
        <div className="banner error" role="alert">
          <pre>{j.commandError}</pre>
          <button type="button" onClick={j.clearCommandError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {mode === 'edit' && j.issues.general.length > 0 && (
        <div className="banner warn" role="status">
          {j.issues.general.join(' · ')}
        </div>
      )}
      <div className="editor-body">
        {mode === 'edit' && (
          <Palette
            open={paletteOpen}
            onToggle={() => {
              localStorage.setItem('waymark.palette', paletteOpen ? 'closed' : 'open');
              setPaletteOpen(!paletteOpen);
            }}
            catalog={catalog}
            disabled={frozen}
            onAdd={(item) => add(item)}
            onEntry={(type) => {
              if (frozen) return;
              j.edit(withStart({ ...def, entry: blankEntry(type, catalog) }));
              setSelected(null);
            }}
          />
        )}
        <Canvas
          def={def}
          readOnly={frozen || mode !== 'edit'}
          selected={selected}
          overlay={overlay}
          onSelect={setSelected}
          onDrop={(item, pos) => add(item, pos)}
          onConnect={(s, h, t) => {
            if (!frozen) j.edit(connect(def, s, h, t));
          }}
          onDisconnect={(es) => {
            if (!frozen)
              j.edit(es.reduce((d, e) => disconnect(d, e.source, e.handle, e.target), def));
          }}
          onMove={(nid, position, done) => {
            if (frozen) return;
            const cur = def.nodes.find((n) => n.id === nid)?.position;
            if (
              cur &&
              cur.x === Math.round(position.x) &&
              cur.y === Math.round(position.y) &&
              !(done && dragBase.current)
            )
              return;
            const moved = mapNode(def, nid, (n) => ({
              ...n,
              position: { x: Math.round(position.x), y: Math.round(position.y) },
            }));
            if (!done) {
              dragBase.current ??= def;
              j.edit(moved, true);
              return;
            }
            j.edit(moved, false, dragBase.current ?? undefined);
            dragBase.current = null;
          }}
          onRemove={(ids) => {
            if (frozen) return;
            j.edit(removeNodes(def, new Set(ids)));
            setSelected(null);
          }}
          // The way back to the start is for building the journey: the test and report views are
          // read-only looks at it, with their own panels, and the button only got in their way.
          startHint={mode === 'edit'}
          onShowStart={() => {
            const box = canvasBox();
            if (box)
              void flow.setViewport(viewOfStart(boxesOf(flow.getNodes()), def.start, box), {
                duration: 200,
              });
          }}
        />
        {mode === 'edit' && (
          <SidePanel
            def={def}
            node={selectedNode}
            catalog={catalog}
            readOnly={locked}
            reloading={j.reloading}
            issues={issues}
            onChange={(n: JourneyNode) => j.edit(mapNode(def, n.id, () => n))}
            onJourneyChange={(d) => j.edit(d)}
            onConnect={(s, h, t) => j.edit(t ? connect(def, s, h, t) : def)}
            onDisconnect={(s, h, t) => j.edit(disconnect(def, s, h, t))}
            onDelete={(nid) => {
              j.edit(removeNodes(def, new Set([nid])));
              setSelected(null);
            }}
          />
        )}
        {mode === 'test' && (
          <TestPanel journeyId={id} def={def} catalog={catalog} status={j.status} onPath={setLit} />
        )}
        {mode === 'report' && (
          <aside className="side-panel">
            <h2>Report</h2>
            <p>
              Counts per activity are shown on the canvas (in: entered, out: exited, err: errors,
              timeout: timeouts).
            </p>
            <a href={`/journeys/${encodeURIComponent(id)}/report`}>Open the full report</a>
          </aside>
        )}
      </div>
      <footer className="editor-status" data-palette={paletteOpen ? 'open' : 'closed'}>
        <StatusBadge status={j.status} /> {version ? `v${version}` : 'not saved yet'} ·{' '}
        {def.nodes.length} activities
      </footer>
    </div>
  );
}

function CompareList(p: {
  mine: JourneyDefinition;
  theirs: JourneyDefinition;
  diffs: ReturnType<typeof diffDefinitions>;
}) {
  if (!p.diffs.length) return <p>Only the arrangement on the canvas differs.</p>;
  return (
    <table className="grid compare" aria-label="Differences">
      <thead>
        <tr>
          <th>Where</th>
          <th>Yours</th>
          <th>Theirs</th>
        </tr>
      </thead>
      <tbody>
        {p.diffs.slice(0, 40).map((d, i) => (
          <tr key={i}>
            <td>{d.where}</td>
            <td>{d.mine}</td>
            <td>{d.theirs}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
