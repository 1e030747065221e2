// Editor completions at a cursor: event, action and data-source names after a reference opener,
// fields from the schemas along a path (through lists), collection and map methods, audience
// names inside inAudience("..."), and functions with their signatures elsewhere.
import { signatures } from './check-call.ts';
import { FUNCTIONS } from './functions/index.ts';
import type { SchemaScope } from './scope.ts';
import type { Type } from './types.ts';
import { fieldNames, fieldType, rootSchemaType, T, typeName } from './types.ts';

export interface Completion {
  readonly label: string;
  readonly kind:
    | 'field'
    | 'function'
    | 'keyword'
    | 'event'
    | 'action'
    | 'dataSource'
    | 'audience'
    | 'method'
    | 'reference';
  /** Text that replaces source[from, cursor). */
  readonly insertText: string;
  readonly detail?: string;
  readonly from: number;
}

const KEYWORDS = [
  'and',
  'or',
  'not',
  'is null',
  'is not null',
  'has null',
  'is numeric',
  'is integer',
  'is decimal',
  'true',
  'false',
  'null',
  'if',
  'then',
  'else',
];
const LIST_METHODS = [
  {
    label: 'at',
    insertText: 'at(0)',
    detail: 'at(index: integer): the item at a zero-based index',
  },
  {
    label: 'all',
    insertText: 'all()',
    detail: 'all(condition?): the items matching the condition',
  },
  { label: 'first', insertText: 'first()', detail: 'first(condition?): the first matching item' },
  { label: 'last', insertText: 'last()', detail: 'last(condition?): the last matching item' },
];
const MAP_METHODS = [
  { label: 'entry', insertText: "entry('')", detail: 'entry(key: string): the value of a key' },
  {
    label: 'firstEntryKey',
    insertText: 'firstEntryKey()',
    detail: 'firstEntryKey(): the first key',
  },
  { label: 'keys', insertText: 'keys()', detail: 'keys(): every key' },
];
const OPENERS: Array<{ text: string; detail: string }> = [
  { text: '@event{', detail: 'event field: @event{Event.path}' },
  { text: '@action{', detail: 'custom action response field: @action{Action.path}' },
  { text: '#{', detail: 'data source field: #{ExperiencePlatform.ProfileFieldGroup.profile.path}' },
];
const CURRENT = ['currentEventField', 'currentActionField', 'currentDataPackField'];

const isWordChar = (c: string): boolean => /[A-Za-z0-9_-]/.test(c);

/** Removes balanced (...) groups and quotes from a path so that only its segments remain. */
function segmentsOf(path: string): string[] | undefined {
  let out = '';
  let depth = 0;
  let quote = '';
  for (const ch of path) {
    if (quote) {
      if (ch === quote) quote = '';
      else if (depth === 0) out += ch;
      continue;
    }
    if ((ch === '"' || ch === "'") && depth >= 0) {
      quote = ch;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) out += ch;
  }
  if (depth !== 0) return undefined;
  return out.split('.').map((s) => s.trim());
}

function walk(start: Type, segments: readonly string[]): Type {
  let t = start;
  for (const seg of segments) {
    while (t.kind === 'list') t = t.element;
    if (seg === '' || ['at', 'all', 'first', 'last'].includes(seg)) continue;
    if (['entry'].includes(seg)) {
      t = t.kind === 'map' ? t.value : T.any;
      continue;
    }
    const r = fieldType(t, seg);
    t = r.ok ? r.type : T.any;
  }
  return t;
}

function membersOf(t: Type, from: number, prefix: string): Completion[] {
  const out: Completion[] = [];
  if (t.kind === 'list') {
    for (const m of LIST_METHODS)
      out.push({
        label: m.label,
        kind: 'method',
        insertText: m.insertText,
        detail: m.detail,
        from,
      });
    let e = t.element;
    while (e.kind === 'list') e = e.element;
    for (const f of fieldNames(e))
      out.push({
        label: f.name,
        kind: 'field',
        insertText: quoteSegment(f.name),
        detail: `${typeName(f.type)} (projected over the list)`,
        from,
      });
  } else if (t.kind === 'map') {
    for (const m of MAP_METHODS)
      out.push({
        label: m.label,
        kind: 'method',
        insertText: m.insertText,
        detail: m.detail,
        from,
      });
  } else {
    for (const f of fieldNames(t))
      out.push({
        label: f.name,
        kind: 'field',
        insertText: quoteSegment(f.name),
        detail: typeName(f.type),
        from,
      });
  }
  return out.filter((c) => c.label.toLowerCase().startsWith(prefix.toLowerCase()));
}

function quoteSegment(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : `'${name.replace(/'/g, "\\'")}'`;
}

/** The innermost unclosed reference opener before the cursor, if any. */
function openReference(text: string): { opener: string; start: number } | undefined {
  let quote = '';
  const stack: Array<{ opener: string; start: number } | undefined> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') {
      const before = text.slice(0, i + 1);
      const opener = ['@event{', '@action{', '@{', '#{'].find((o) => before.endsWith(o));
      stack.push(opener ? { opener, start: i + 1 } : undefined);
    } else if (ch === '}') {
      stack.pop();
    }
  }
  return [...stack].reverse().find((x) => x !== undefined);
}

export function completeExpression(
  source: string,
  cursor: number,
  scope: SchemaScope,
): Completion[] {
  const at = Math.max(0, Math.min(cursor, source.length));
  const text = source.slice(0, at);
  let p = at;
  while (p > 0 && isWordChar(text.charAt(p - 1))) p--;
  const prefix = text.slice(p);
  const from = p;

  // inAudience("...
  const aud = /inAudience\(\s*(["'])([^"']*)$/.exec(text);
  if (aud) {
    const typed = aud[2] ?? '';
    return (scope.audiences ?? [])
      .filter((a) => a.toLowerCase().includes(typed.toLowerCase()))
      .map((a) => ({
        label: a,
        kind: 'audience',
        insertText: a,
        detail: 'audience',
        from: at - typed.length,
      }));
  }

  const ref = openReference(text);
  if (ref) {
    const inner = text.slice(ref.start);
    const lastParen = inner.lastIndexOf('(');
    const unclosed = lastParen >= 0 && segmentsOf(inner) === undefined;
    if (!unclosed) return completeInReference(ref.opener, inner, scope, from, prefix);
    // Inside a condition: currentXField.<path> resolves against the list's element.
    const cur =
      /(currentEventField|currentActionField|currentDataPackField)((?:\.[A-Za-z0-9_'-]*)*)$/.exec(
        inner,
      );
    if (cur) {
      const listPath = inner.slice(0, lastParen).replace(/\.(all|first|last)$/, '');
      const listType = referenceType(ref.opener, segmentsOf(listPath) ?? [], scope);
      const element = listType.kind === 'list' ? listType.element : T.any;
      const segs = (cur[2] ?? '').split('.').slice(1);
      segs.pop();
      return membersOf(walk(element, segs), from, prefix);
    }
  }
  return completeGeneral(from, prefix, ref !== undefined);
}

function referenceType(opener: string, segments: readonly string[], scope: SchemaScope): Type {
  const [head = '', ...rest] = segments;
  if (opener === '@event{' || opener === '@{')
    return walk(
      Object.hasOwn(scope.events, head) ? rootSchemaType(scope.events[head]) : T.any,
      rest,
    );
  if (opener === '@action{')
    return walk(
      Object.hasOwn(scope.actions, head) ? rootSchemaType(scope.actions[head]) : T.any,
      rest,
    );
  const [group = '', ...path] = rest;
  if (head === 'ExperiencePlatform')
    return walk(rootSchemaType(scope.profile), path[0] === 'profile' ? path.slice(1) : path);
  void group;
  const ds = scope.dataSources?.[head]?.[group];
  return walk(ds ? rootSchemaType(ds) : T.any, path);
}

function completeInReference(
  opener: string,
  inner: string,
  scope: SchemaScope,
  from: number,
  prefix: string,
): Completion[] {
  const segments = segmentsOf(inner) ?? [];
  const match = (label: string): boolean => label.toLowerCase().startsWith(prefix.toLowerCase());
  if (segments.length <= 1) {
    if (opener === '@event{' || opener === '@{') {
      return Object.keys(scope.events)
        .filter(match)
        .map((e) => ({ label: e, kind: 'event', insertText: e, detail: 'event', from }));
    }
    if (opener === '@action{') {
      return Object.keys(scope.actions)
        .filter(match)
        .map((a) => ({
          label: a,
          kind: 'action',
          insertText: a,
          detail: 'custom action response',
          from,
        }));
    }
    const names = ['ExperiencePlatform', ...Object.keys(scope.dataSources ?? {})];
    return names
      .filter(match)
      .map((d) => ({ label: d, kind: 'dataSource', insertText: d, detail: 'data source', from }));
  }
  const parents = segments.slice(0, -1);
  if (opener === '#{' && parents.length === 1) {
    const groups =
      parents[0] === 'ExperiencePlatform'
        ? ['ProfileFieldGroup']
        : Object.keys(scope.dataSources?.[parents[0] ?? ''] ?? {});
    return groups
      .filter(match)
      .map((g) => ({ label: g, kind: 'dataSource', insertText: g, detail: 'field group', from }));
  }
  if (opener === '#{' && parents.length === 2 && parents[0] === 'ExperiencePlatform') {
    return match('profile')
      ? [{ label: 'profile', kind: 'field', insertText: 'profile', detail: 'the profile', from }]
      : [];
  }
  return membersOf(referenceType(opener, parents, scope), from, prefix);
}

function completeGeneral(from: number, prefix: string, inCondition: boolean): Completion[] {
  const match = (label: string): boolean => label.toLowerCase().startsWith(prefix.toLowerCase());
  const out: Completion[] = [];
  for (const spec of FUNCTIONS.values()) {
    if (match(spec.name))
      out.push({
        label: spec.name,
        kind: 'function',
        insertText: `${spec.name}(`,
        detail: `${signatures(spec).join(' | ')}: ${spec.description}`,
        from,
      });
  }
  for (const k of KEYWORDS)
    if (match(k)) out.push({ label: k, kind: 'keyword', insertText: k, from });
  if (prefix === '')
    for (const o of OPENERS)
      out.push({ label: o.text, kind: 'reference', insertText: o.text, detail: o.detail, from });
  if (inCondition)
    for (const c of CURRENT)
      if (match(c))
        out.push({
          label: c,
          kind: 'keyword',
          insertText: c,
          detail: 'the current item of the collection',
          from,
        });
  return out;
}
