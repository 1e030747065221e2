// Applying and exporting packages. Every object is validated before anything is written, so a
// package with one bad object changes nothing.
import { parse as parseYaml } from 'yaml';
import { applyOrder, PACKAGE_FORMAT, packageSchema, type Package, type PackageObject } from '../model/package.ts';
import { packageProfileSchema } from '../model/profile.ts';
import { validationFailed, WaymarkError, ErrorCode, toWaymarkError, type ErrorIssue } from '../errors.ts';
import type { Engine } from './engine.ts';
import type { JourneyService } from './journeys.ts';
import { objectKindByName } from './object-kinds.ts';
import type { ObjectService } from './objects.ts';
import type { ProfileService } from './profiles.ts';
import { zodIssues } from './zod-issues.ts';
import { findForbiddenKey, forbiddenKeyRefused } from '../shared/forbidden-keys.ts';

export interface ApplyResult {
  readonly name: string;
  readonly objects: ReadonlyArray<{ kind: string; key: string; status: 'created' | 'updated' | 'unchanged' | 'published' | 'publish_failed'; message?: string }>;
}

/** Parses a package from JSON or YAML text, with a clear error for either. */
export function parsePackageText(text: string): unknown {
  const trimmed = text.trimStart();
  let value: unknown;
  try {
    value = trimmed.startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new WaymarkError(ErrorCode.BadRequest, `the package is neither valid JSON nor valid YAML: ${toWaymarkError(e).message}`);
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden) throw forbiddenKeyRefused(forbidden);
  return value;
}

export class PackageService {
  constructor(
    private readonly engine: Engine,
    private readonly objects: ObjectService,
    private readonly journeys: JourneyService,
    private readonly profiles: ProfileService,
  ) {}

  validate(input: unknown): Package {
    const r = packageSchema.safeParse(input);
    if (!r.success) throw validationFailed('the package is invalid', zodIssues(r.error));
    const issues: ErrorIssue[] = [];
    r.data.objects.forEach((o, i) => {
      const at = `objects[${i}]`;
      if (o.kind === 'journey') {
        if (!o.id) issues.push({ path: `${at}.id`, message: 'a journey needs an id', expected: 'string', received: 'nothing' });
        const j = this.tryParse(() => this.journeys.parse(o.spec));
        for (const x of j) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      } else if (o.kind === 'profile') {
        const p = packageProfileSchema.safeParse(o.spec);
        if (!p.success) for (const x of zodIssues(p.error)) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      } else {
        const kind = objectKindByName.get(o.kind);
        if (!kind) { issues.push({ path: `${at}.kind`, message: 'unknown kind', expected: [...applyOrder].join(' | '), received: o.kind }); return; }
        const p = kind.schema.safeParse(o.spec);
        if (!p.success) for (const x of zodIssues(p.error)) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      }
    });
    if (issues.length > 0) throw validationFailed(`the package "${r.data.name}" has ${issues.length} invalid field(s); nothing was applied`, issues);
    return r.data;
  }

  private tryParse(fn: () => unknown): ErrorIssue[] {
    try { fn(); return []; } catch (e) { return e instanceof WaymarkError ? [...e.issues] : [{ path: '(root)', message: toWaymarkError(e).message }]; }
  }

  async apply(sandbox: string, input: unknown): Promise<ApplyResult> {
    const pkg = this.validate(input);
    const ordered = orderAudiences([...pkg.objects].sort((a, b) => rank(a) - rank(b)));
    const results: Array<ApplyResult['objects'][number]> = [];
    for (const o of ordered) {
      if (o.kind === 'journey') {
        const id = o.id!;
        const before = (await this.engine.store.getJourneyVersions(sandbox, id)).pop();
        const v = await this.journeys.upsert(sandbox, id, o.spec);
        let status: ApplyResult['objects'][number]['status'] = !before ? 'created' : before.version === v.version && before.updatedAt === v.updatedAt ? 'unchanged' : 'updated';
        let message: string | undefined;
        if (o.publish && v.status === 'draft') {
          try { await this.journeys.publish(sandbox, id); status = 'published'; } catch (e) {
            const err = toWaymarkError(e);
            status = 'publish_failed';
            message = [err.message, ...err.issues.map((i) => i.message)].join('; ');
          }
        }
        results.push({ kind: 'journey', key: id, status, ...(message ? { message } : {}) });
      } else if (o.kind === 'profile') {
        const spec = packageProfileSchema.parse(o.spec);
        await this.profiles.put(sandbox, spec.namespace, spec.id, spec);
        results.push({ kind: 'profile', key: `${spec.namespace}:${spec.id}`, status: 'updated' });
      } else {
        const r = await this.objects.put(sandbox, o.kind, o.spec);
        results.push({ kind: o.kind, key: r.key, status: r.status });
      }
    }
    return { name: pkg.name, objects: results };
  }

  async export(sandbox: string, name = `${sandbox} export`): Promise<Package> {
    const objects: PackageObject[] = [];
    for (const kind of applyOrder) {
      if (kind === 'journey' || kind === 'profile') continue;
      for (const o of await this.engine.store.listObjects<Record<string, unknown>>(sandbox, kind)) objects.push({ kind, spec: this.objects.secrets.redact(kind, o.body) });
    }
    for (const j of await this.journeys.list(sandbox)) {
      objects.push({ kind: 'journey', id: j.id, spec: j.latest.definition as unknown as Record<string, unknown>, ...(j.live ? { publish: true } : {}) });
    }
    return { format: PACKAGE_FORMAT, name, objects };
  }
}

const rank = (o: PackageObject): number => applyOrder.indexOf(o.kind);

/** Names of the audiences a definition reads (`{"kind": "audience", "name": ...}` rules). */
function audienceRefs(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) audienceRefs(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.kind === 'audience' && typeof o.name === 'string') out.add(o.name);
    for (const v of Object.values(o)) audienceRefs(v, out);
  }
  return out;
}

/** Audiences that read other audiences come after them, whatever their order in the file. */
function orderAudiences(objects: PackageObject[]): PackageObject[] {
  const audiences = objects.filter((o) => o.kind === 'audience');
  const byName = new Map(audiences.map((o) => [String(o.spec.name), o] as const));
  const done = new Set<string>();
  const sorted: PackageObject[] = [];
  const visit = (o: PackageObject, path: Set<string>): void => {
    const name = String(o.spec.name);
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const ref of audienceRefs(o.spec.definition)) { const dep = byName.get(ref); if (dep) visit(dep, path); }
    done.add(name);
    sorted.push(o);
  };
  for (const o of audiences) visit(o, new Set());
  let next = 0;
  return objects.map((o) => (o.kind === 'audience' ? sorted[next++]! : o));
}
