// Packages and the server's export, plan and apply answers (docs/packages.md), inferred from the
// answer schemas (src/isomorphic/api/packages.ts); and how the console names and groups objects.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  applyStatusSchema,
  hostWarningSchema,
  objectStateSchema,
  packageApplyAnswer,
  packageExportAnswer,
  packagePlanAnswer,
} from '@waymark/shared/api/packages.ts';

/** A package as exported; a file to import is read as one before the server checks it. */
export type Pkg = Answer<typeof packageExportAnswer>;
export type PkgObject = Pkg['objects'][number];
export type Plan = Answer<typeof packagePlanAnswer>;
export type ConflictChoice = NonNullable<Plan['objects'][number]['choice']>;
export type ObjectState = Answer<typeof objectStateSchema>;
export type HostWarning = Answer<typeof hostWarningSchema>;
export type ApplyStatus = Answer<typeof applyStatusSchema>;
export type ApplyResult = Answer<typeof packageApplyAnswer>;

/** The field that keys each kind in a package (src/runtime/object-kinds.ts). */
const KEY_FIELD: Record<string, string> = {
  namespace: 'code',
  fragment: 'id',
  contentTemplate: 'id',
  asset: 'id',
  languageSettings: 'id',
};

export function objectKey(o: PkgObject): string {
  if (o.kind === 'journey') return o.id ?? String(o.spec['name'] ?? '');
  if (o.kind === 'profile')
    return `${String(o.spec['namespace'] ?? '')}:${String(o.spec['id'] ?? '')}`;
  return String(o.spec[KEY_FIELD[o.kind] ?? 'name'] ?? o.spec['name'] ?? '');
}

/** The name people know an object by (its name or title), else its key. */
export function objectLabel(o: PkgObject): string {
  for (const f of ['name', 'title']) {
    const v = o.spec[f];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return objectKey(o);
}

/** Kinds in the order a package applies them, with their headings. */
export const KIND_TITLES: ReadonlyArray<readonly [string, string]> = [
  ['journey', 'Journeys'],
  ['eventType', 'Events'],
  ['action', 'Custom actions'],
  ['channelConfiguration', 'Channel configurations'],
  ['ruleSet', 'Business rules'],
  ['audience', 'Audiences'],
  ['contentTemplate', 'Content templates'],
  ['fragment', 'Fragments'],
  ['asset', 'Assets'],
  ['languageSettings', 'Language settings'],
  ['namespace', 'Identity namespaces'],
  ['profileSchema', 'Profile schema'],
  ['profile', 'Profiles'],
];
const TITLE = new Map(KIND_TITLES);
export const kindTitle = (kind: string): string => TITLE.get(kind) ?? kind;

/** Objects grouped by kind, in KIND_TITLES order (unknown kinds last). */
export function groupByKind<T extends { kind: string }>(items: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const i of items) groups.set(i.kind, [...(groups.get(i.kind) ?? []), i]);
  const order = (k: string) => {
    const i = KIND_TITLES.findIndex(([x]) => x === k);
    return i < 0 ? 99 : i;
  };
  return [...groups.entries()].sort((a, b) => order(a[0]) - order(b[0]));
}
