// Applying and exporting packages. Every object is validated before anything is written, so a
// package with one bad object changes nothing. An export may be one journey (or a few objects)
// with everything it uses, assets with their images; applying reports per object what happened,
// with a choice per object that exists with other content (use the existing one, replace it, or
// create a copy), the hosts the sandbox does not allow yet, and the secrets still to set.
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  applyOrder,
  applyRequestSchema,
  PACKAGE_FORMAT,
  packageSchema,
  type ConflictChoice,
  type Package,
  type PackageObject,
} from '../model/package.ts';
import type { Asset } from '../model/asset.ts';
import type { ChannelConfiguration } from '../model/channel-configuration.ts';
import type { CustomAction } from '../model/custom-action.ts';
import { packageProfileSchema } from '../model/profile.ts';
import {
  validationFailed,
  WaymarkError,
  ErrorCode,
  toWaymarkError,
  notFound,
  type ErrorIssue,
} from '../errors.ts';
import type { SandboxHosts } from './allowed-hosts.ts';
import type { AssetService } from './assets.ts';
import { refId, type ObjectRef } from './dependency-graph.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import type { JourneyService } from './journeys.ts';
import { objectKindByName } from './object-kinds.ts';
import type { CampaignService } from './campaigns/service.ts';
import {
  applyCampaign,
  CAMPAIGN_KIND,
  campaignPackageIssues,
  campaignPackageState,
} from './campaigns/package-campaigns.ts';
import { decodeCampaign } from './campaigns/stored.ts';
import type { ObjectService } from './objects.ts';
import { copyKey, keyField, renameInPackage } from './package-copy.ts';
import type { ProfileService } from './profiles.ts';
import { dependencyClosure, labelsOfRefs } from './references.ts';
import { journeyLabelsById, labelsOf } from '../model/labels.ts';
import { SECRET_KINDS } from './secret-box.ts';
import { zodIssues } from './zod-issues.ts';
import { findForbiddenKey, forbiddenKeyRefused } from '../shared/forbidden-keys.ts';

export type ApplyStatus =
  'created' | 'updated' | 'unchanged' | 'skipped' | 'copied' | 'published' | 'publish_failed';

/** A custom action (its endpoint or token endpoint) or a channel configuration (its SMTP or provider endpoint) whose host the sandbox does not allow: `entry` is what to add. */
export interface HostWarning {
  readonly code: 'host_not_allowed';
  readonly kind: 'action' | 'channelConfiguration';
  readonly key: string;
  /** Custom actions: the action's name. */
  readonly action?: string;
  readonly url: string;
  readonly host: string;
  readonly entry: string;
  readonly message: string;
}

export interface NeedsSecret {
  readonly kind: string;
  readonly key: string;
  readonly path: string;
}

export interface ApplyResult {
  readonly name: string;
  readonly objects: ReadonlyArray<{
    kind: string;
    key: string;
    status: ApplyStatus;
    message?: string;
    copiedAs?: string;
    warnings?: HostWarning[];
    needsSecret?: string[];
  }>;
  readonly warnings: readonly HostWarning[];
  readonly needsSecret: readonly NeedsSecret[];
}

export type ObjectState = 'new' | 'same' | 'differs';

export interface PlanResult {
  readonly name: string;
  /** `usesCopies`: the object differs only because it now names copies made by this apply, so it is replaced. */
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

/** What to export: everything (no selection), or journeys and objects with all they use. */
export interface ExportSelection {
  readonly name?: string;
  readonly journeys?: readonly string[];
  readonly objects?: readonly ObjectRef[];
  /**
   * Access labels (OLAC): whether the caller may see an object or journey with these labels. Hidden
   * ones are left out of a sandbox export; a selection naming one is not found, and one whose
   * closure reaches one is refused (naming nothing).
   */
  readonly visible?: (labels: readonly string[]) => boolean;
}

interface Request {
  readonly pkg: Package;
  readonly conflicts: Readonly<Record<string, ConflictChoice>>;
  readonly defaultConflict: ConflictChoice;
}

/** Parses a package from JSON or YAML text, with a clear error for either. */
export function parsePackageText(text: string): unknown {
  const trimmed = text.trimStart();
  let value: unknown;
  try {
    value = trimmed.startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new WaymarkError(
      ErrorCode.BadRequest,
      `the package is neither valid JSON nor valid YAML: ${toWaymarkError(e).message}`,
    );
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden) throw forbiddenKeyRefused(forbidden);
  return value;
}

/** The key of a package object: journeys by id, profiles by namespace:id, the rest by their key field. */
export function packageKey(o: PackageObject): string {
  if (o.kind === 'journey' || o.kind === CAMPAIGN_KIND) return o.id ?? '';
  if (o.kind === 'profile') return `${String(o.spec.namespace)}:${String(o.spec.id)}`;
  return String(o.spec[keyField[o.kind] ?? 'name']);
}

const isSecretKind = (kind: string): boolean => (SECRET_KINDS as readonly string[]).includes(kind);

export class PackageService {
  constructor(
    private readonly rt: RuntimeParts,
    private readonly objects: ObjectService,
    private readonly journeys: JourneyService,
    private readonly profiles: ProfileService,
    private readonly assets: AssetService,
    private readonly hosts: SandboxHosts,
    private readonly campaigns?: CampaignService,
  ) {}

  validate(input: unknown): Package {
    const r = packageSchema.safeParse(input);
    if (!r.success) throw validationFailed('the package is invalid', zodIssues(r.error));
    const issues: ErrorIssue[] = [];
    r.data.objects.forEach((o, i) => {
      const at = `objects[${i}]`;
      if (o.files && o.kind !== 'asset')
        issues.push({
          path: `${at}.files`,
          message: 'only assets carry files',
          expected: 'no files',
          received: o.kind,
        });
      if (o.kind === 'journey') {
        if (!o.id)
          issues.push({
            path: `${at}.id`,
            message: 'a journey needs an id',
            expected: 'string',
            received: 'nothing',
          });
        const j = this.tryParse(() => this.journeys.parse(o.spec));
        for (const x of j) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      } else if (o.kind === CAMPAIGN_KIND && this.campaigns) {
        issues.push(...campaignPackageIssues(o, at));
      } else if (o.kind === 'profile') {
        const p = packageProfileSchema.safeParse(o.spec);
        if (!p.success)
          for (const x of zodIssues(p.error)) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      } else {
        const kind = objectKindByName.get(o.kind);
        if (!kind) {
          issues.push({
            path: `${at}.kind`,
            message: 'unknown kind',
            expected: [...applyOrder].join(' | '),
            received: o.kind,
          });
          return;
        }
        const p = kind.schema.safeParse(o.spec);
        if (!p.success)
          for (const x of zodIssues(p.error)) issues.push({ ...x, path: `${at}.spec.${x.path}` });
      }
    });
    if (issues.length > 0)
      throw validationFailed(
        `the package "${r.data.name}" has ${issues.length} invalid field(s); nothing was applied`,
        issues,
      );
    return r.data;
  }

  private tryParse(fn: () => unknown): ErrorIssue[] {
    try {
      fn();
      return [];
    } catch (e) {
      return e instanceof WaymarkError
        ? [...e.issues]
        : [{ path: '(root)', message: toWaymarkError(e).message }];
    }
  }

  /** A bare package, or `{ package, conflicts, defaultConflict }`. */
  private request(input: unknown): Request {
    const wrapped =
      input !== null &&
      typeof input === 'object' &&
      !Array.isArray(input) &&
      'package' in input &&
      !('format' in input);
    if (!wrapped) return { pkg: this.validate(input), conflicts: {}, defaultConflict: 'replace' };
    const r = applyRequestSchema.safeParse(input);
    if (!r.success) throw validationFailed('the apply request is invalid', zodIssues(r.error));
    return {
      pkg: this.validate(r.data.package),
      conflicts: r.data.conflicts,
      defaultConflict: r.data.defaultConflict,
    };
  }

  /** An asset as the target sandbox stores it: URLs of the versions whose images come along point at the target. */
  private localAsset(sandbox: string, o: PackageObject): Record<string, unknown> {
    if (o.kind !== 'asset' || !o.files || o.files.length === 0) return o.spec;
    const spec = o.spec as unknown as Asset;
    const carried = new Set(o.files.map((f) => f.version));
    const id = String(spec.id);
    return {
      ...o.spec,
      ...(carried.has(spec.version ?? 1)
        ? { url: this.assets.urlOf(sandbox, id, spec.version ?? 1) }
        : {}),
      ...(Array.isArray(spec.history)
        ? {
            history: spec.history.map((h) =>
              carried.has(h.version) ? { ...h, url: this.assets.urlOf(sandbox, id, h.version) } : h,
            ),
          }
        : {}),
    };
  }

  /** Whether the object is new to the sandbox, the same as the stored one, or different. */
  private async stateOf(sandbox: string, o: PackageObject): Promise<ObjectState> {
    if (o.kind === 'journey') {
      const latest = (await this.rt.store.getJourneyVersions(sandbox, o.id!)).pop();
      if (!latest) return 'new';
      return isDeepStrictEqual(
        JSON.parse(JSON.stringify(this.journeys.parse(o.spec))),
        JSON.parse(JSON.stringify(latest.definition)),
      )
        ? 'same'
        : 'differs';
    }
    if (o.kind === CAMPAIGN_KIND && this.campaigns)
      return campaignPackageState(this.campaigns, sandbox, o);
    if (o.kind === 'profile') {
      const spec = packageProfileSchema.parse(o.spec);
      return (await this.profiles.get(sandbox, spec.namespace, spec.id).then(
        () => true,
        () => false,
      ))
        ? 'differs'
        : 'new';
    }
    const { kind, value, key } = this.objects.parse(o.kind, this.localAsset(sandbox, o));
    const existing = await this.rt.store.getObject<Record<string, unknown>>(
      sandbox,
      kind.kind,
      key,
    );
    if (!existing) return 'new';
    try {
      const sealed = this.objects.secrets.seal(kind.kind, value, existing.body);
      return this.objects.secrets.same(kind.kind, existing.body, sealed) ? 'same' : 'differs';
    } catch {
      return 'differs';
    }
  }

  /** States, choices and copy keys of every object; the package with copies renamed. */
  private async resolve(
    sandbox: string,
    req: Request,
  ): Promise<{ pkg: Package; plan: PlanResult['objects'][number][]; copies: Map<string, string> }> {
    const plan: PlanResult['objects'][number][] = [];
    const copies = new Map<string, string>();
    let objects = req.pkg.objects;
    const inPackage = new Set(objects.map((o) => `${o.kind}:${packageKey(o)}`));
    for (const o of req.pkg.objects) {
      const key = packageKey(o);
      const state = await this.stateOf(sandbox, o);
      const choice = req.conflicts[`${o.kind}:${key}`] ?? req.defaultConflict;
      if (state !== 'differs') {
        plan.push({ kind: o.kind, key, state });
        continue;
      }
      if (choice !== 'copy' || o.kind === 'profile') {
        plan.push({
          kind: o.kind,
          key,
          state,
          choice: choice === 'copy' ? 'use-existing' : choice,
        });
        continue;
      }
      const existing =
        o.kind === 'journey'
          ? new Set((await this.rt.store.listJourneys(sandbox)).map((v) => v.journeyId))
          : new Set((await this.rt.store.listObjects(sandbox, o.kind)).map((x) => x.key));
      const copyAs = copyKey(key, (c) => inPackage.has(`${o.kind}:${c}`) || existing.has(c));
      inPackage.add(`${o.kind}:${copyAs}`);
      copies.set(`${o.kind}:${key}`, copyAs);
      objects = renameInPackage(objects, o.kind, key, copyAs);
      plan.push({ kind: o.kind, key, state, choice, copyAs });
    }
    if (copies.size === 0) return { pkg: req.pkg, plan, copies };
    // Objects that now name a copy are written so that they use it (unless the sandbox keeps its own).
    const renamed = objects;
    for (let i = 0; i < renamed.length; i++) {
      const entry = plan[i]!;
      if (
        entry.copyAs !== undefined ||
        isDeepStrictEqual(renamed[i]!.spec, req.pkg.objects[i]!.spec)
      )
        continue;
      const state = await this.stateOf(sandbox, renamed[i]!);
      if (state === 'differs' && entry.state !== 'differs')
        plan[i] = { ...entry, state, choice: 'replace', usesCopies: true };
      else if (state !== entry.state) plan[i] = { ...entry, state };
    }
    return { pkg: this.validate({ ...req.pkg, objects: renamed }), plan, copies };
  }

  /** What applying would do, object by object; nothing is written. */
  async plan(sandbox: string, input: unknown): Promise<PlanResult> {
    const req = this.request(input);
    const { pkg, plan } = await this.resolve(sandbox, req);
    const warnings: HostWarning[] = [];
    const needsSecret: NeedsSecret[] = [];
    for (const o of pkg.objects) {
      if (o.kind === 'action' || o.kind === 'channelConfiguration')
        warnings.push(
          ...(await this.hostWarnings(sandbox, o.kind, this.objects.parse(o.kind, o.spec).value)),
        );
      if (isSecretKind(o.kind))
        for (const path of this.objects.secrets.needsSecret(o.kind, o.spec))
          needsSecret.push({ kind: o.kind, key: packageKey(o), path });
    }
    return { name: pkg.name, objects: plan, warnings, needsSecret };
  }

  async apply(sandbox: string, input: unknown): Promise<ApplyResult> {
    const req = this.request(input);
    const { pkg, plan } = await this.resolve(sandbox, req);
    // The plan is by the package's keys; copies are applied under their new keys.
    const planOf = new Map(plan.map((p) => [`${p.kind}:${p.copyAs ?? p.key}`, p] as const));
    const ordered = orderJourneys(
      orderAudiences([...pkg.objects].sort((a, b) => rank(a) - rank(b))),
    );
    const results: Array<ApplyResult['objects'][number]> = [];
    const warnings: HostWarning[] = [];
    const needsSecret: NeedsSecret[] = [];
    for (const o of ordered) {
      const key = packageKey(o);
      const p = planOf.get(`${o.kind}:${key}`);
      const reported = p?.copyAs
        ? { kind: o.kind, key: p.key, copiedAs: p.copyAs }
        : { kind: o.kind, key };
      if (p?.state === 'differs' && p.choice === 'use-existing') {
        results.push({
          ...reported,
          status: 'skipped',
          message:
            o.kind === 'profile' && req.conflicts[`profile:${key}`] === 'copy'
              ? 'profiles are not copied: the existing one is kept'
              : 'the sandbox keeps its own version',
        });
        continue;
      }
      if (o.kind === 'journey') {
        results.push({
          ...reported,
          ...(await this.applyJourney(sandbox, o, p?.copyAs !== undefined)),
        });
      } else if (o.kind === CAMPAIGN_KIND && this.campaigns) {
        results.push({ ...reported, ...(await applyCampaign(this.campaigns, sandbox, o)) });
      } else if (o.kind === 'profile') {
        const spec = packageProfileSchema.parse(o.spec);
        await this.profiles.put(sandbox, spec.namespace, spec.id, spec);
        results.push({ ...reported, status: p?.state === 'new' ? 'created' : 'updated' });
      } else {
        if (o.kind === 'asset')
          for (const f of o.files ?? [])
            await this.assets.storeImage(sandbox, key, f.version, Buffer.from(f.base64, 'base64'));
        let r: Awaited<ReturnType<ObjectService['put']>>;
        try {
          r = await this.objects.put(sandbox, o.kind, this.localAsset(sandbox, o));
        } catch (e) {
          // A redacted secret for another destination than the stored one's: the stored object stays.
          if (!(e instanceof WaymarkError) || e.code !== ErrorCode.SecretRequired) throw e;
          const paths = e.issues.map((i) => i.path);
          for (const path of paths) needsSecret.push({ kind: o.kind, key, path });
          results.push({ ...reported, status: 'skipped', message: e.message, needsSecret: paths });
          continue;
        }
        const own = await this.hostWarnings(
          sandbox,
          o.kind,
          r.object.body as Record<string, unknown>,
        );
        const missing = isSecretKind(o.kind)
          ? this.objects.secrets.needsSecret(o.kind, r.object.body as Record<string, unknown>)
          : [];
        warnings.push(...own);
        for (const path of missing) needsSecret.push({ kind: o.kind, key: r.key, path });
        results.push({
          ...reported,
          status: p?.copyAs ? 'copied' : r.status,
          ...(own.length > 0 ? { warnings: own } : {}),
          ...(missing.length > 0 ? { needsSecret: missing } : {}),
        });
      }
    }
    return { name: pkg.name, objects: results, warnings, needsSecret };
  }

  private async applyJourney(
    sandbox: string,
    o: PackageObject,
    copied: boolean,
  ): Promise<{ status: ApplyStatus; message?: string }> {
    const id = o.id!;
    const before = (await this.rt.store.getJourneyVersions(sandbox, id)).pop();
    const v = await this.journeys.upsert(sandbox, id, o.spec);
    let status: ApplyStatus = copied
      ? 'copied'
      : !before
        ? 'created'
        : before.version === v.version && before.updatedAt === v.updatedAt
          ? 'unchanged'
          : 'updated';
    let message: string | undefined;
    if (o.publish && v.status === 'draft') {
      try {
        await this.journeys.publish(sandbox, id);
        status = 'published';
      } catch (e) {
        const err = toWaymarkError(e);
        status = 'publish_failed';
        message = [err.message, ...err.issues.map((i) => i.message)].join('; ');
      }
    }
    return { status, ...(message ? { message } : {}) };
  }

  /** The endpoints of an action (the call and its token endpoint) or a channel configuration that the sandbox's outbound policy refuses. */
  private async hostWarnings(
    sandbox: string,
    kind: string,
    body: Record<string, unknown>,
  ): Promise<HostWarning[]> {
    const targets: Array<string | { host: string; port: number }> = [];
    let name = String(body.name);
    if (kind === 'action') {
      const action = body as unknown as CustomAction;
      targets.push(
        action.url,
        ...(action.auth?.kind === 'customToken' ? [action.auth.endpoint] : []),
      );
    } else if (kind === 'channelConfiguration') {
      const c = body as unknown as ChannelConfiguration;
      name = c.name;
      if (c.channel === 'email')
        targets.push(
          ...(c.smtp ? [{ host: c.smtp.host, port: c.smtp.port }] : []),
          ...(c.sendgrid ? [c.sendgrid.baseUrl] : []),
          ...(c.mailgun ? [c.mailgun.baseUrl] : []),
        );
      else if (c.channel === 'push')
        targets.push(
          ...(c.apns ? [c.apns.host] : []),
          ...(c.fcm ? [c.fcm.baseUrl, String(c.fcm.serviceAccount.token_uri)] : []),
        );
      else if (c.channel === 'sms')
        targets.push(
          ...(c.twilio ? [c.twilio.baseUrl] : []),
          ...(c.vonage ? [c.vonage.baseUrl] : []),
        );
    } else {
      return [];
    }
    const out: HostWarning[] = [];
    for (const t of targets) {
      const r = await this.hosts.check(sandbox, t);
      if (r.ok || out.some((w) => w.entry === r.entry)) continue;
      const url = typeof t === 'string' ? t : `${t.host}:${t.port}`;
      const what =
        kind === 'action'
          ? `the custom action "${name}" calls`
          : `the channel configuration "${name}" connects to`;
      out.push({
        code: 'host_not_allowed',
        kind,
        key: name,
        ...(kind === 'action' ? { action: name } : {}),
        url,
        host: r.host,
        entry: r.entry,
        message: `${what} ${r.host}, which the sandbox does not allow (${r.reason}); allow "${r.entry}" (POST /v1/allowed-hosts) or it will fail`,
      });
    }
    return out;
  }

  async export(sandbox: string, selection: ExportSelection = {}): Promise<Package> {
    const roots: ObjectRef[] = [
      ...(selection.journeys ?? []).map((key) => ({ kind: 'journey', key })),
      ...(selection.objects ?? []),
    ];
    const visible = selection.visible ?? (() => true);
    let wanted: Set<string> | null = null;
    if (roots.length > 0) {
      const rootLabels = await labelsOfRefs(this.rt.store, sandbox, roots);
      for (const r of roots) {
        if (r.kind === 'journey') {
          if ((await this.rt.store.getJourneyVersions(sandbox, r.key)).length === 0)
            throw notFound('journey', r.key);
        } else await this.objects.get(sandbox, r.kind, r.key);
        if (!visible(rootLabels.get(refId(r)) ?? []))
          throw notFound(
            r.kind === 'journey' ? 'journey' : (objectKindByName.get(r.kind)?.title ?? r.kind),
            r.key,
          );
      }
      const closure = await dependencyClosure(this.rt.store, sandbox, roots);
      const closureLabels = await labelsOfRefs(this.rt.store, sandbox, closure);
      if (closure.some((r) => !visible(closureLabels.get(refId(r)) ?? []))) {
        throw new WaymarkError(
          ErrorCode.Forbidden,
          'the export uses objects your role may not access (access labels): ask someone who holds their labels to export it',
        );
      }
      wanted = new Set(closure.map(refId));
      // Journeys and audiences type profile attributes with the profile schema.
      if (closure.some((r) => r.kind === 'journey' || r.kind === 'audience'))
        wanted.add('profileSchema:profile');
    }
    const objects: PackageObject[] = [];
    for (const kind of applyOrder) {
      if (kind === 'journey' || kind === 'profile') continue;
      for (const o of await this.rt.store.listObjects<Record<string, unknown>>(sandbox, kind)) {
        if (wanted && !wanted.has(`${kind}:${o.key}`)) continue;
        if (kind === CAMPAIGN_KIND) {
          // A campaign travels as its definition (what apply reads), activated again on publish.
          const c = decodeCampaign(o.body);
          if (c && visible(c.definition.labels ?? []))
            objects.push({
              kind,
              id: c.id,
              spec: c.definition as unknown as Record<string, unknown>,
              ...(c.state === 'active' ? { publish: true } : {}),
            });
          continue;
        }
        if (!visible(labelsOf(o.body))) continue;
        const files =
          kind === 'asset' ? await this.assetFiles(sandbox, o.body as unknown as Asset) : [];
        objects.push({
          kind,
          spec: this.objects.secrets.redact(kind, o.body),
          ...(files.length > 0 ? { files } : {}),
        });
      }
    }
    const labelsById = journeyLabelsById(await this.rt.store.listJourneys(sandbox));
    for (const j of await this.journeys.list(sandbox)) {
      if (wanted && !wanted.has(`journey:${j.id}`)) continue;
      if (!visible(labelsById.get(j.id) ?? [])) continue;
      objects.push({
        kind: 'journey',
        id: j.id,
        spec: j.latest.definition as unknown as Record<string, unknown>,
        ...(j.live ? { publish: true } : {}),
      });
    }
    const name =
      selection.name ??
      (roots.length > 0
        ? `${roots.map((r) => (r.kind === 'journey' ? r.key : refId(r))).join(', ')} with what it uses`
        : `${sandbox} export`);
    return { format: PACKAGE_FORMAT, name, objects };
  }

  /** The stored images of an asset's versions. */
  private async assetFiles(
    sandbox: string,
    asset: Asset,
  ): Promise<NonNullable<PackageObject['files']>> {
    const versions = new Map<number, string>([[asset.version ?? 1, asset.mimeType ?? 'image/png']]);
    for (const h of asset.history ?? [])
      if (!versions.has(h.version)) versions.set(h.version, h.mimeType);
    const files: NonNullable<PackageObject['files']> = [];
    for (const [version, mimeType] of [...versions].sort((a, b) => a[0] - b[0])) {
      const bytes = await this.assets.readImage(sandbox, asset.id, version);
      if (bytes) files.push({ version, mimeType, base64: Buffer.from(bytes).toString('base64') });
    }
    return files;
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
/** Journeys a definition jumps into (`{"kind": "jump", "journey": ...}` activities). */
function jumpTargets(spec: Record<string, unknown>): string[] {
  const nodes = Array.isArray(spec.nodes) ? (spec.nodes as unknown[]) : [];
  return nodes.flatMap((n) => {
    const o = n as Record<string, unknown> | null;
    return o?.kind === 'jump' && typeof o.journey === 'string' ? [o.journey] : [];
  });
}

/**
 * Journeys in an order where a jump's target comes before the journey that jumps into it: the
 * target is published first, so the jumping journey's publish finds it live. (Cycles are refused
 * by validation; one is left in package order here.)
 */
function orderJourneys(objects: PackageObject[]): PackageObject[] {
  const journeys = objects.filter((o) => o.kind === 'journey');
  const byId = new Map(journeys.map((o) => [String(o.id), o] as const));
  const done = new Set<string>();
  const sorted: PackageObject[] = [];
  const visit = (o: PackageObject, path: Set<string>): void => {
    const id = String(o.id);
    if (done.has(id) || path.has(id)) return;
    path.add(id);
    for (const target of jumpTargets(o.spec)) {
      const dep = byId.get(target);
      if (dep) visit(dep, path);
    }
    done.add(id);
    sorted.push(o);
  };
  for (const o of journeys) visit(o, new Set());
  let next = 0;
  return objects.map((o) => (o.kind === 'journey' ? sorted[next++]! : o));
}

function orderAudiences(objects: PackageObject[]): PackageObject[] {
  const audiences = objects.filter((o) => o.kind === 'audience');
  const byName = new Map(audiences.map((o) => [String(o.spec.name), o] as const));
  const done = new Set<string>();
  const sorted: PackageObject[] = [];
  const visit = (o: PackageObject, path: Set<string>): void => {
    const name = String(o.spec.name);
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const ref of audienceRefs(o.spec.definition)) {
      const dep = byName.get(ref);
      if (dep) visit(dep, path);
    }
    done.add(name);
    sorted.push(o);
  };
  for (const o of audiences) visit(o, new Set());
  let next = 0;
  return objects.map((o) => (o.kind === 'audience' ? sorted[next++]! : o));
}
