// "Create a copy" when applying a package: the object gets a new key, and the package's other
// objects are pointed at the copy. References are rewritten where the schemas put them (the
// fields that name each kind) and in the reference syntaxes of expressions and content
// ({{fragment id='ajo:...'}}, inAudience("..."), @event{...}, @action{...}). Pure.
import type { PackageObject } from '../model/package.ts';

/** The spec field that keys each kind (src/runtime/object-kinds.ts); journeys are keyed by `id` on the package object. */
export const keyField: Readonly<Record<string, string>> = {
  namespace: 'code',
  profileSchema: 'name',
  eventType: 'name',
  action: 'name',
  channelConfiguration: 'name',
  ruleSet: 'name',
  fragment: 'id',
  contentTemplate: 'id',
  asset: 'id',
  languageSettings: 'id',
  audience: 'name',
};

/** Fields whose string value names an object of the kind. */
const fieldsNaming: Readonly<Record<string, readonly string[]>> = {
  fragment: ['fragmentId'],
  asset: ['assetId'],
  audience: ['audience'],
  eventType: ['event', 'eventType'],
  action: ['action'],
  ruleSet: ['ruleSet'],
  channelConfiguration: ['configuration'],
  languageSettings: ['languageSettings'],
  contentTemplate: ['template'],
  namespace: ['namespace'],
  journey: ['journey'],
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function rewriteText(kind: string, from: string, to: string, text: string): string {
  const f = escape(from);
  switch (kind) {
    case 'fragment':
      return text.replace(
        new RegExp(`(\\{\\{\\s*fragment\\s[^}]*?id\\s*=\\s*["']ajo:)${f}(?=["'/])`, 'g'),
        `$1${to}`,
      );
    case 'audience':
      return text.replace(new RegExp(`(inAudience\\s*\\(?\\s*)(["'])${f}\\2`, 'g'), `$1$2${to}$2`);
    case 'eventType':
      return text.replace(new RegExp(`(@event\\{|events\\.)${f}(?=[.}])`, 'g'), `$1${to}`);
    case 'action':
      return text.replace(new RegExp(`(@action\\{|actions\\.)${f}(?=[.}])`, 'g'), `$1${to}`);
    default:
      return text;
  }
}

function rewrite(kind: string, from: string, to: string, value: unknown): unknown {
  if (typeof value === 'string') return rewriteText(kind, from, to, value);
  if (Array.isArray(value)) return value.map((v) => rewrite(kind, from, to, v));
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const names = fieldsNaming[kind] ?? [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === from && names.includes(k)) out[k] = to;
    // An audience rule reading another audience: {kind: 'audience', name}.
    else if (kind === 'audience' && k === 'name' && o.kind === 'audience' && v === from)
      out[k] = to;
    else out[k] = rewrite(kind, from, to, v);
  }
  return out;
}

/** The package's objects with `kind:from` renamed `to` (the object itself and every reference to it). */
export function renameInPackage(
  objects: readonly PackageObject[],
  kind: string,
  from: string,
  to: string,
): PackageObject[] {
  return objects.map((o) => {
    const self =
      kind === 'journey'
        ? o.kind === 'journey' && o.id === from
        : o.kind === kind && o.spec[keyField[kind] ?? 'name'] === from;
    if (self) {
      if (kind === 'journey')
        return { ...o, id: to, spec: { ...o.spec, name: `${String(o.spec.name ?? from)} (copy)` } };
      return { ...o, spec: { ...o.spec, [keyField[kind] ?? 'name']: to } };
    }
    // A journey is named only by other journeys' jump activities.
    if (kind === 'journey' && o.kind !== 'journey') return o;
    return { ...o, spec: rewrite(kind, from, to, o.spec) as Record<string, unknown> };
  });
}

/** A key for a copy that is free: `<key>-copy`, `<key>-copy-2`, ... (`_copy` where keys are identifiers). */
export function copyKey(key: string, taken: (candidate: string) => boolean): string {
  const sep = /^[A-Za-z][A-Za-z0-9_]*$/.test(key) ? '_' : '-';
  for (let i = 1; i < 1000; i++) {
    const candidate = `${key}${sep}copy${i === 1 ? '' : `${sep}${i}`}`;
    if (!taken(candidate)) return candidate;
  }
  return `${key}${sep}copy${sep}${Date.now()}`;
}
