// The shapes of packages and of the server's export, plan and apply answers (docs/packages.md).
export interface PkgObject {
  readonly kind: string;
  readonly key?: string;
  readonly id?: string;
  readonly spec: Record<string, unknown>;
  readonly publish?: boolean;
}
export interface Pkg {
  readonly format: string;
  readonly name?: string;
  readonly description?: string;
  readonly objects: readonly PkgObject[];
}

export type ConflictChoice = 'use-existing' | 'replace' | 'copy';
export type ObjectState = 'new' | 'same' | 'differs';

export interface HostWarning {
  readonly code: 'host_not_allowed';
  readonly kind: string;
  readonly key: string;
  readonly action?: string;
  readonly url: string;
  readonly host: string;
  /** What to add to the sandbox's allowed hosts. */
  readonly entry: string;
  readonly message: string;
}
export interface NeedsSecret {
  readonly kind: string;
  readonly key: string;
  readonly path: string;
}

export interface Plan {
  readonly name: string;
  readonly objects: ReadonlyArray<{
    kind: string;
    key: string;
    state: ObjectState;
    choice?: ConflictChoice;
    copyAs?: string;
    usesCopies?: boolean;
  }>;
  readonly warnings: readonly HostWarning[];
  readonly needsSecret: readonly NeedsSecret[];
}

export type ApplyStatus =
  'created' | 'updated' | 'unchanged' | 'skipped' | 'copied' | 'published' | 'publish_failed';
export interface ApplyResult {
  readonly name: string;
  readonly objects: ReadonlyArray<{
    kind: string;
    key: string;
    status: ApplyStatus;
    message?: string;
    copiedAs?: string;
    warnings?: readonly HostWarning[];
    needsSecret?: readonly string[];
  }>;
  readonly warnings: readonly HostWarning[];
  readonly needsSecret: readonly NeedsSecret[];
}

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
  return o.key ?? String(o.spec[KEY_FIELD[o.kind] ?? 'name'] ?? o.spec['name'] ?? '');
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
