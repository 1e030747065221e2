// The journey definition as a graph: outgoing handles per activity, edges, and the edits the canvas
// makes (add, connect, disconnect, remove). Pure functions over immutable definitions.
import type { JourneyDefinition, JourneyNode, NodeKind } from '../api/types.ts';

export interface Handle {
  readonly id: string;
  readonly label: string;
}
export interface Edge {
  readonly id: string;
  readonly source: string;
  readonly handle: string;
  readonly target: string;
  readonly label: string;
}

/** The outgoing paths of an activity, as canvas handles. */
export function handlesOf(n: JourneyNode): Handle[] {
  switch (n.kind) {
    case 'event':
    case 'reaction':
      return [
        { id: 'next', label: '' },
        ...(n.timeout?.next ? [{ id: 'timeout', label: 'Timeout' }] : []),
      ];
    case 'condition':
      return [
        ...n.paths.map((p, i) => ({ id: `path-${i}`, label: p.label || `Path${i + 1}` })),
        ...(n.otherwise ? [{ id: 'otherwise', label: n.otherwise.label || 'Other cases' }] : []),
      ];
    case 'action':
      return [
        { id: 'next', label: '' },
        ...(n.errorPath ? [{ id: 'error', label: 'Timeout / error' }] : []),
      ];
    case 'wait':
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
    case 'updateProfile':
    case 'jump':
      return [{ id: 'next', label: '' }];
    case 'end':
      return [];
  }
}

export function targetsOf(n: JourneyNode, handle: string): readonly string[] {
  switch (n.kind) {
    case 'event':
    case 'reaction':
      return handle === 'timeout' ? (n.timeout?.next ?? []) : n.next;
    case 'condition': {
      if (handle === 'otherwise') return n.otherwise?.next ?? [];
      return n.paths[Number(handle.slice(5))]?.next ?? [];
    }
    case 'action':
      return handle === 'error' ? (n.errorPath?.next ?? []) : n.next;
    case 'wait':
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
    case 'updateProfile':
    case 'jump':
      return n.next;
    case 'end':
      return [];
  }
}

function withTargets(n: JourneyNode, handle: string, next: string[]): JourneyNode {
  switch (n.kind) {
    case 'event':
    case 'reaction':
      return handle === 'timeout' && n.timeout
        ? { ...n, timeout: { ...n.timeout, next } }
        : { ...n, next };
    case 'condition':
      if (handle === 'otherwise')
        return n.otherwise ? { ...n, otherwise: { ...n.otherwise, next } } : n;
      return { ...n, paths: n.paths.map((p, i) => (`path-${i}` === handle ? { ...p, next } : p)) };
    case 'action':
      return handle === 'error' && n.errorPath ? { ...n, errorPath: { next } } : { ...n, next };
    case 'wait':
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
    case 'updateProfile':
    case 'jump':
      return { ...n, next };
    case 'end':
      return n;
  }
}

export function edgesOf(def: JourneyDefinition): Edge[] {
  const ids = new Set(def.nodes.map((n) => n.id));
  const out: Edge[] = [];
  for (const n of def.nodes) {
    for (const h of handlesOf(n)) {
      for (const t of targetsOf(n, h.id))
        if (ids.has(t))
          out.push({
            id: `${n.id}:${h.id}->${t}`,
            source: n.id,
            handle: h.id,
            target: t,
            label: h.label,
          });
    }
  }
  return out;
}

const parallelKinds = new Set<NodeKind>(['event', 'wait', 'reaction']);

/** Connects a handle to a target: events and waits can wait in parallel, anything else replaces. */
export function connect(
  def: JourneyDefinition,
  source: string,
  handle: string,
  target: string,
): JourneyDefinition {
  if (source === target) return def;
  const byId = new Map(def.nodes.map((n) => [n.id, n]));
  const targetNode = byId.get(target);
  return mapNode(def, source, (n) => {
    const current = targetsOf(n, handle).filter((t) => byId.has(t) && t !== target);
    const parallel =
      targetNode &&
      parallelKinds.has(targetNode.kind) &&
      current.every((t) => parallelKinds.has(byId.get(t)!.kind));
    return withTargets(n, handle, parallel ? [...current, target].slice(0, 10) : [target]);
  });
}

export function disconnect(
  def: JourneyDefinition,
  source: string,
  handle: string,
  target: string,
): JourneyDefinition {
  return mapNode(def, source, (n) =>
    withTargets(
      n,
      handle,
      targetsOf(n, handle).filter((t) => t !== target),
    ),
  );
}

export function mapNode(
  def: JourneyDefinition,
  id: string,
  f: (n: JourneyNode) => JourneyNode,
): JourneyDefinition {
  return withStart({ ...def, nodes: def.nodes.map((n) => (n.id === id ? f(n) : n)) });
}

export function addNode(def: JourneyDefinition, node: JourneyNode): JourneyDefinition {
  return withStart({ ...def, nodes: [...def.nodes, node] });
}

export function removeNodes(def: JourneyDefinition, ids: ReadonlySet<string>): JourneyDefinition {
  const nodes = def.nodes
    .filter((n) => !ids.has(n.id))
    .map((n) => {
      let m = n;
      for (const h of handlesOf(n))
        m = withTargets(
          m,
          h.id,
          targetsOf(m, h.id).filter((t) => !ids.has(t)),
        );
      return m;
    });
  return withStart({ ...def, nodes });
}

/** The start is the activity nobody leads to (the leftmost when several): an event, for journeys entered by an event. */
export function withStart(def: JourneyDefinition): JourneyDefinition {
  const incoming = new Set(edgesOf(def).map((e) => e.target));
  const byEvent = def.entry.type === 'event';
  const roots = def.nodes
    .filter((n) => (!byEvent || n.kind === 'event') && !incoming.has(n.id))
    .sort((a, b) => (a.position?.x ?? 0) - (b.position?.x ?? 0));
  const start = roots.find((n) => n.id === def.start) ?? roots[0] ?? def.nodes[0];
  return start && start.id !== def.start ? { ...def, start: start.id } : def;
}

export function newId(def: JourneyDefinition, base: string): string {
  const stem =
    base
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'activity';
  const taken = new Set(def.nodes.map((n) => n.id));
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

/** What the palette drops: enough to make a node of that kind. */
export type PaletteItem =
  | { readonly kind: 'event'; readonly event: string }
  | { readonly kind: 'action'; readonly action: string }
  | {
      readonly kind:
        | 'condition'
        | 'wait'
        | 'end'
        | 'email'
        | 'push'
        | 'sms'
        | 'inApp'
        | 'codeBased'
        | 'reaction'
        | 'updateProfile'
        | 'jump';
    }
  /** A profile cap: a condition in profile-cap mode. */
  | { readonly kind: 'profileCap' };

const DEFAULT_LABEL: Record<NodeKind, string> = {
  event: 'Event',
  condition: 'Condition',
  wait: 'Wait',
  action: 'Action',
  email: 'Email',
  push: 'Push',
  sms: 'SMS',
  inApp: 'In-app message',
  codeBased: 'Code-based experience',
  reaction: 'Reaction',
  updateProfile: 'Update profile',
  jump: 'Jump',
  end: 'End',
};

export function makeNode(
  def: JourneyDefinition,
  item: PaletteItem,
  position: { x: number; y: number },
): JourneyNode {
  const position_ = { x: Math.round(position.x), y: Math.round(position.y) };
  switch (item.kind) {
    case 'event': {
      // The second drop of the same event gets a numbered label, as in the product (…_Email1).
      const same = def.nodes.filter((n) => n.kind === 'event' && n.event === item.event).length;
      const label = same ? `${item.event}${same}` : item.event;
      return {
        id: newId(def, label),
        kind: 'event',
        event: item.event,
        label,
        next: [],
        position: position_,
      };
    }
    case 'action':
      return {
        id: newId(def, item.action),
        kind: 'action',
        action: item.action,
        label: item.action,
        parameters: {},
        next: [],
        position: position_,
      };
    case 'condition':
      return {
        id: newId(def, 'condition'),
        kind: 'condition',
        label: 'Condition',
        mode: 'expression',
        paths: [{ label: 'Path1', next: [] }],
        position: position_,
      };
    case 'profileCap':
      return {
        id: newId(def, 'profile-cap'),
        kind: 'condition',
        label: 'Profile cap',
        mode: 'profileCap',
        cap: 1000,
        paths: [{ label: 'First profiles', next: [] }],
        otherwise: { label: 'Over the cap', next: [] },
        position: position_,
      };
    case 'reaction':
      return {
        id: newId(def, 'reaction'),
        kind: 'reaction',
        label: 'Reaction',
        message: '',
        reaction: 'opened',
        next: [],
        position: position_,
      };
    case 'updateProfile':
      return {
        id: newId(def, 'update-profile'),
        kind: 'updateProfile',
        label: 'Update profile',
        attribute: '',
        value: '',
        next: [],
        position: position_,
      };
    case 'jump':
      return {
        id: newId(def, 'jump'),
        kind: 'jump',
        label: 'Jump',
        journey: '',
        next: [],
        position: position_,
      };
    case 'wait':
      // A wait is dropped with the duration its panel shows (one hour, as its Duration button sets):
      // without one it was shown as a duration yet refused as a wait of no kind.
      return {
        id: newId(def, 'wait'),
        kind: 'wait',
        label: 'Wait',
        duration: 'PT1H',
        next: [],
        position: position_,
      };
    case 'end':
      return { id: newId(def, 'end'), kind: 'end', label: 'End', position: position_ };
    case 'email':
    case 'push':
    case 'sms':
      return {
        id: newId(def, item.kind),
        kind: item.kind,
        label: DEFAULT_LABEL[item.kind],
        configuration: '',
        category: 'marketing',
        content: { channel: item.kind },
        next: [],
        position: position_,
      } as JourneyNode;
    case 'inApp':
      return {
        id: newId(def, 'inApp'),
        kind: 'inApp',
        label: DEFAULT_LABEL.inApp,
        configuration: '',
        category: 'marketing',
        content: {
          layout: 'modal',
          title: '',
          body: '',
          buttons: [],
          trigger: { kind: 'appLaunch' },
          frequency: { kind: 'once' },
          expiresAfterHours: 168,
        },
        next: [],
        position: position_,
      };
    case 'codeBased':
      return {
        id: newId(def, 'codeBased'),
        kind: 'codeBased',
        label: DEFAULT_LABEL.codeBased,
        configuration: '',
        category: 'marketing',
        content: { surface: '', format: 'html', payload: '' },
        next: [],
        position: position_,
      };
  }
}

export const KIND_LABEL = DEFAULT_LABEL;
export const KIND_ICON: Record<NodeKind, string> = {
  event: '⚡',
  condition: '◇',
  wait: '◔',
  action: '⚙',
  email: '✉',
  push: '▣',
  sms: '✆',
  inApp: '▤',
  codeBased: '⟨⟩',
  reaction: '↩',
  updateProfile: '✎',
  jump: '⤴',
  end: '■',
};
