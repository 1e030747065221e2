// Who uses what, computed from parsed objects: a journey's activities name event types, actions,
// channel configurations, rule sets and audiences; message content names fragments (blocks and
// {{fragment id=...}} tags, read with the content module's own tag finder), assets, audiences and
// language settings; fragments use fragments; audiences read audiences and event types; event
// types need their identity namespace. Pure: no I/O. The runtime loads the objects
// (references.ts) and asks this module for edges.
import { compileAudience } from '../audience/index.ts';
import { referencedFragmentIds } from '../content/fragments.ts';
import type { Node as ExprNode } from '../expr/ast.ts';
import { parse as parseExpression } from '../expr/parser.ts';
import { isTextDefinition, type Audience, type AudienceRule } from '../model/audience.ts';
import type { SegmentSource } from '../model/segment-source.ts';
import type { Offer } from '../model/offer.ts';
import type { DecisionPolicy } from '../model/decision-policy.ts';
import type { LandingPage } from '../model/landing-page.ts';
import type { ContentTemplate } from '../model/content-template.ts';
import type { EventType } from '../model/event-type.ts';
import type { Fragment } from '../model/fragment.ts';
import { defaultNamespaces } from '../model/identity.ts';
import type { JourneyDefinition } from '../model/journey.ts';

/** One object of a sandbox: `kind` as in packages and storage (journeys are `journey`, keyed by id). */
export interface ObjectRef {
  readonly kind: string;
  readonly key: string;
}

export const refId = (r: ObjectRef): string => `${r.kind}:${r.key}`;

/** Parses `kind:key` (the key may hold colons). */
export function parseRefId(text: string): ObjectRef | null {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) return null;
  return { kind: text.slice(0, i), key: text.slice(i + 1) };
}

/** The names a sandbox holds, for reading text audience definitions (they name audiences and events by text). */
export interface KnownNames {
  readonly audiences: readonly string[];
  readonly eventTypes: readonly string[];
}

class Edges {
  private readonly seen = new Set<string>();
  readonly list: ObjectRef[] = [];
  add(kind: string, key: string | undefined): void {
    if (key === undefined || key === '') return;
    const id = `${kind}:${key}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ kind, key });
  }
}

const builtInNamespaces = new Set(defaultNamespaces.map((n) => n.code));

/** Audience names a journey expression reads through `inAudience("name")`, from its syntax tree. */
export function expressionAudiences(source: string): string[] {
  if (!source.includes('inAudience')) return [];
  const r = parseExpression(source);
  if (!r.ok) return [];
  const out: string[] = [];
  // Any node may hold calls (arguments, operands, steps, defaults): every object below is visited.
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const node = n as ExprNode;
    if (node.kind === 'call' && node.name === 'inAudience') {
      const first = node.args[0];
      if (first?.kind === 'literal' && first.literal.type === 'string')
        out.push(first.literal.value);
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') walk(v);
  };
  walk(r.ast);
  return out;
}

// Content templates speak Handlebars and `{% %}`, whose helpers take `inAudience "name"` or
// `inAudience("name")`; the content compiler has no exported reader for helper arguments.
const contentAudienceRe = /inAudience\s*\(?\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')/g;

// `{{#each (decide "policy-id") as |offer|}}`: the decision policies a text asks.
const contentDecideRe = /\(\s*decide\s+(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')/g;

function contentText(edges: Edges, text: string): void {
  for (const id of referencedFragmentIds(text)) edges.add('fragment', id);
  if (text.includes('decide'))
    for (const m of text.matchAll(contentDecideRe)) edges.add('decisionPolicy', m[1] ?? m[2]);
  if (text.includes('inAudience'))
    for (const m of text.matchAll(contentAudienceRe)) edges.add('audience', m[1] ?? m[2]);
}

/**
 * Message content (an activity's, a template's, a visual fragment's blocks): every field is read as
 * the content schema defines it. Fragment blocks, image blocks' assets, audience conditions of
 * variants, language settings, the template applied, and every text field's fragment tags.
 */
function content(edges: Edges, value: unknown, key?: string): void {
  if (typeof value === 'string') {
    contentText(edges, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) content(edges, v);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (o.kind === 'fragment' && typeof o.fragmentId === 'string')
    edges.add('fragment', o.fragmentId);
  if (o.kind === 'image' && typeof o.assetId === 'string') edges.add('asset', o.assetId);
  if (o.kind === 'audience' && typeof o.audience === 'string') edges.add('audience', o.audience);
  if (o.kind === 'expression' && typeof o.expression === 'string')
    contentText(edges, `{%= ${o.expression} %}`);
  // Top level of a message: the language settings and the template it was made from.
  if (key === undefined) {
    if (typeof o.languageSettings === 'string') edges.add('languageSettings', o.languageSettings);
    if (typeof o.template === 'string') edges.add('contentTemplate', o.template);
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'languageSettings' || k === 'template' || k === 'fragmentId' || k === 'assetId')
      continue;
    content(edges, v, k);
  }
}

/** What a journey version uses. */
export function journeyUses(def: JourneyDefinition): ObjectRef[] {
  const edges = new Edges();
  if (def.ruleSet) edges.add('ruleSet', def.ruleSet);
  if (def.entry.type !== 'event') {
    edges.add('audience', def.entry.audience);
    if (def.entry.namespace && !builtInNamespaces.has(def.entry.namespace))
      edges.add('namespace', def.entry.namespace);
  }
  const expr = (s: string | undefined): void => {
    if (s) for (const a of expressionAudiences(s)) edges.add('audience', a);
  };
  for (const n of def.nodes) {
    switch (n.kind) {
      case 'event':
        edges.add('eventType', n.event);
        break;
      case 'action':
        edges.add('action', n.action);
        for (const p of Object.values(n.parameters)) expr(p);
        break;
      case 'condition':
        for (const p of n.paths) expr(p.expression);
        break;
      case 'wait':
        expr(n.until);
        break;
      case 'email':
      case 'push':
      case 'sms':
      case 'inApp':
      case 'codeBased':
        edges.add('channelConfiguration', n.configuration);
        if (n.ruleSet) edges.add('ruleSet', n.ruleSet);
        content(edges, n.content);
        break;
      case 'reaction':
        break;
      case 'updateProfile':
        edges.add('profileSchema', 'profile');
        expr(n.value);
        break;
      // A jump uses its target journey: an export takes it along, its references list the jump.
      case 'jump':
        edges.add('journey', n.journey);
        break;
      case 'end':
        break;
      default: {
        const never: never = n;
        throw new Error(`unhandled node ${JSON.stringify(never)}`);
      }
    }
  }
  return edges.list;
}

function audienceRuleUses(edges: Edges, rule: AudienceRule): void {
  switch (rule.kind) {
    case 'and':
    case 'or':
      for (const r of rule.rules) audienceRuleUses(edges, r);
      break;
    case 'not':
      audienceRuleUses(edges, rule.rule);
      break;
    case 'event':
      edges.add('eventType', rule.eventType);
      break;
    case 'audience':
      edges.add('audience', rule.name);
      break;
    case 'attribute':
    case 'feedback':
      break;
  }
}

/** What a stored object (not a journey) uses. Unknown kinds use nothing. */
export function objectUses(kind: string, body: unknown, known: KnownNames): ObjectRef[] {
  const edges = new Edges();
  switch (kind) {
    case 'eventType': {
      const ns = (body as EventType).identity?.namespace;
      if (ns && !builtInNamespaces.has(ns)) edges.add('namespace', ns);
      break;
    }
    case 'fragment': {
      const f = body as Fragment;
      if (f.content.type === 'expression') contentText(edges, f.content.source);
      else content(edges, f.content.blocks, 'blocks');
      break;
    }
    case 'contentTemplate':
      content(edges, (body as ContentTemplate).content);
      break;
    case 'offer': {
      const o = body as Offer;
      for (const r of o.representations) edges.add('placement', r.placement);
      const aud = o.eligibility?.audiences;
      if (aud) for (const x of 'all' in aud ? aud.all : aud.any) edges.add('audience', x);
      if (o.eligibility?.rule)
        for (const x of expressionAudiences(o.eligibility.rule)) edges.add('audience', x);
      break;
    }
    case 'segmentSource': {
      const src = body as SegmentSource;
      for (const i of src.identities)
        if (!builtInNamespaces.has(i.namespace)) edges.add('namespace', i.namespace);
      for (const m of [...Object.values(src.track), src.page, src.screen])
        if (m) edges.add('eventType', m.eventType);
      if (src.unmappedTrack) edges.add('eventType', src.unmappedTrack);
      break;
    }
    case 'landingPage': {
      const p = body as LandingPage;
      content(edges, p.primary.content);
      for (const s of p.subPages) content(edges, s.content);
      break;
    }
    case 'decisionPolicy': {
      const p = body as DecisionPolicy;
      edges.add('placement', p.placement);
      for (const s of p.strategies)
        if ('offers' in s) for (const x of s.offers) edges.add('offer', x);
      // A scoring endpoint is a custom action: packages carry it, deleting it is refused while used.
      for (const s of p.strategies)
        if (typeof s.ranking === 'object' && 'scoringAction' in s.ranking)
          edges.add('action', s.ranking.scoringAction);
      if (p.fallback) edges.add('offer', p.fallback);
      break;
    }
    case 'audience': {
      const a = body as Audience;
      if (a.namespace && !builtInNamespaces.has(a.namespace)) edges.add('namespace', a.namespace);
      if (!a.definition) break;
      if (!isTextDefinition(a.definition)) {
        audienceRuleUses(edges, a.definition);
        break;
      }
      const r = compileAudience(a, {
        audiences: [...known.audiences, a.name],
        eventTypes: known.eventTypes,
      });
      if (r.ok) {
        for (const x of r.audience.dependsOn.audiences) edges.add('audience', x);
        for (const x of r.audience.dependsOn.eventTypes) edges.add('eventType', x);
      } else {
        for (const x of expressionAudiences(a.definition.text)) edges.add('audience', x);
      }
      break;
    }
    default:
      break;
  }
  return edges.list.filter(
    (r) =>
      !(
        r.kind === kind &&
        r.key === (body as Record<string, unknown>)[kind === 'audience' ? 'name' : 'id']
      ),
  );
}

/** One object of the graph: a stored object, or a journey version. */
export interface GraphNode extends ObjectRef {
  readonly name: string;
  /** Journeys: the version and its status. */
  readonly version?: number;
  readonly status?: string;
  readonly uses: readonly ObjectRef[];
}

export interface User {
  readonly kind: string;
  readonly key: string;
  readonly name: string;
  readonly version?: number;
  readonly status?: string;
  /** The objects between the user and the object asked about, user side first (empty when direct). */
  readonly via: readonly ObjectRef[];
}

/**
 * Everything that uses `target`, directly or through objects that are themselves used (a fragment
 * inside a fragment inside an email, an audience read by an audience). Breadth first, so `via` is
 * a shortest path. Each journey version is one user.
 */
export function usersOf(nodes: readonly GraphNode[], target: ObjectRef): User[] {
  const byUsed = new Map<string, GraphNode[]>();
  for (const n of nodes)
    for (const u of n.uses) {
      const id = refId(u);
      const list = byUsed.get(id);
      if (list) list.push(n);
      else byUsed.set(id, [n]);
    }
  const nodeId = (n: GraphNode): string =>
    n.version === undefined ? refId(n) : `${refId(n)}@${n.version}`;
  const seen = new Set<string>([refId(target)]);
  const out: User[] = [];
  let frontier: Array<{ ref: ObjectRef; via: ObjectRef[] }> = [{ ref: target, via: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      for (const n of byUsed.get(refId(f.ref)) ?? []) {
        const id = nodeId(n);
        if (seen.has(id)) continue;
        seen.add(id);
        out.push({
          kind: n.kind,
          key: n.key,
          name: n.name,
          ...(n.version === undefined ? {} : { version: n.version }),
          ...(n.status === undefined ? {} : { status: n.status }),
          via: f.via,
        });
        // Journeys use, nothing uses them.
        if (n.kind !== 'journey')
          next.push({ ref: n, via: [{ kind: n.kind, key: n.key }, ...f.via] });
      }
    }
    frontier = next;
  }
  return out;
}

/** `roots` and everything they use, transitively (each object once, roots first); names of objects that do not exist are left out. */
export function closureOf(nodes: readonly GraphNode[], roots: readonly ObjectRef[]): ObjectRef[] {
  const uses = new Map<string, ObjectRef[]>();
  for (const n of nodes) {
    const id = refId(n);
    uses.set(id, [...(uses.get(id) ?? []), ...n.uses]);
  }
  const seen = new Set<string>();
  const out: ObjectRef[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const r = queue.shift()!;
    const id = refId(r);
    if (seen.has(id) || !uses.has(id)) continue;
    seen.add(id);
    out.push({ kind: r.kind, key: r.key });
    for (const u of uses.get(id) ?? []) queue.push(u);
  }
  return out;
}
