// Journey lifecycle: drafts, publication (with every validation rule and message compilation),
// versions, pause/resume/close/stop. Publishing a version closes the previous one.
import { checkTemplateEdit, compileMessage } from '../content/index.ts';
import {
  compileJourney,
  FINISHED,
  shownStatus,
  transition,
  type JourneyIssue,
  type LifecycleCommand,
  type ShownStatus,
} from '../journey/index.ts';
import {
  journeyDefinitionSchema,
  isMessageNode,
  channelOfKind,
  JourneyStatus,
  type JourneyDefinition,
  type JourneyNode,
  type JourneyVersion,
} from '../model/journey.ts';
import { journeyDraftSchema } from '../model/journey-draft.ts';
import { messageContentSchema } from '../model/message-content.ts';
import {
  ErrorCode,
  notFound,
  validationFailed,
  versionConflict,
  WaymarkError,
  type ErrorIssue,
} from '../errors.ts';
import type { JourneyTotals } from '../store/ports.ts';
import { endedDryRun, forgetEndedDryRun } from './dry-run.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import { zodIssues } from './zod-issues.ts';

/** A journey as lists show it, with its totals (GET /v1/journeys?include=counts). */
export interface JourneyListEntry {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly liveStatus: string | null;
  readonly latestVersion: number;
  readonly liveVersion: number | null;
  readonly versions: ReadonlyArray<{ version: number; status: string; updatedAt: string }>;
  readonly updatedAt: string;
  readonly counts?: Omit<JourneyTotals, 'journeyId'>;
}

/** What a draft save answers: the stored version and everything that still blocks its publication. */
export interface DraftSaved {
  readonly journey: JourneyVersion;
  readonly problems: JourneyIssue[];
  readonly issues: JourneyIssue[];
}

export interface JourneySummary {
  readonly id: string;
  readonly name: string;
  readonly latest: JourneyVersion;
  readonly live: JourneyVersion | null;
  readonly versions: ReadonlyArray<{ version: number; status: string; updatedAt: string }>;
  /** The latest version's status as lists show it: "finished" for a closed one no profile is left in. */
  readonly status: ShownStatus;
}

const toIssues = (issues: readonly JourneyIssue[]): ErrorIssue[] =>
  issues.map((i) => ({ path: i.path, message: i.message }));

/**
 * Approvals for publishing (src/runtime/access/approvals.ts): whether the sandbox needs one, and the
 * pending request of a version (a draft in review cannot change).
 */
export interface PublishGate {
  required(sandbox: string): Promise<boolean>;
  pendingFor(
    sandbox: string,
    journeyId: string,
    version: number,
  ): Promise<{ readonly id: string } | null>;
}

/** Finished versions remembered per process (a bound, not a cache policy: past it, they are read again). */
const MAX_REMEMBERED_FINISHED = 50_000;

export class JourneyService {
  constructor(private readonly rt: RuntimeParts) {}

  private gate: PublishGate | null = null;
  /** Set once by the approvals service when access control is wired. */
  setPublishGate(gate: PublishGate): void {
    this.gate = gate;
  }

  /** Refuses (409 in_review) a change to a draft that waits for an approval. */
  private async checkNotInReview(sandbox: string, latest: JourneyVersion): Promise<void> {
    const pending = this.gate
      ? await this.gate.pendingFor(sandbox, latest.journeyId, latest.version)
      : null;
    if (pending) {
      throw new WaymarkError(
        ErrorCode.InReview,
        `version ${latest.version} of "${latest.journeyId}" is in review: cancel the approval request to change it`,
        { details: { approval: pending.id, version: latest.version } },
      );
    }
  }

  private get store() {
    return this.rt.store;
  }
  private nowIso(): string {
    return new Date(this.rt.clock.now()).toISOString();
  }

  parse(input: unknown, where = 'journey'): JourneyDefinition {
    const r = journeyDefinitionSchema.safeParse(input);
    if (!r.success)
      throw validationFailed(`the ${where} definition is invalid`, zodIssues(r.error));
    return r.data;
  }

  /**
   * A definition as a draft stores it: incomplete is fine (its problems are listed on save and block
   * publication); only what cannot be stored at all (not an object, wrong types, unknown activity
   * kinds, too large) is refused.
   */
  parseDraft(input: unknown, where = 'journey'): JourneyDefinition {
    const r = journeyDraftSchema.safeParse(input);
    if (!r.success)
      throw validationFailed(
        `the ${where} definition cannot be stored, even as a draft`,
        zodIssues(r.error),
      );
    return r.data;
  }

  /** Journeys with what lists show, and with `counts` their totals: two grouped store reads however many journeys. */
  async listEntries(sandbox: string, withCounts: boolean): Promise<JourneyListEntry[]> {
    const summaries = await this.list(sandbox);
    const totals = withCounts
      ? new Map((await this.store.journeyTotals(sandbox)).map((t) => [t.journeyId, t] as const))
      : null;
    return summaries.map((j) => {
      const t = totals?.get(j.id);
      return {
        id: j.id,
        name: j.name,
        status: j.status,
        liveStatus: j.live?.status ?? null,
        latestVersion: j.latest.version,
        liveVersion: j.live?.version ?? null,
        versions: j.versions,
        updatedAt: j.versions.reduce(
          (at, v) => (v.updatedAt > at ? v.updatedAt : at),
          j.latest.updatedAt,
        ),
        ...(totals
          ? {
              counts: {
                entered: t?.entered ?? 0,
                active: t?.active ?? 0,
                exited: t?.exited ?? 0,
                errors: t?.errors ?? 0,
                timeouts: t?.timeouts ?? 0,
              },
            }
          : {}),
      };
    });
  }

  async list(sandbox: string): Promise<JourneySummary[]> {
    const all = await this.store.listJourneys(sandbox);
    const ids = [...new Set(all.map((v) => v.journeyId))];
    const finished = await this.finishedVersions(sandbox, all);
    return ids.map((id) =>
      summarize(
        id,
        all.filter((v) => v.journeyId === id),
        finished,
      ),
    );
  }

  /**
   * Closed versions with no profile in flight ("journeyId:version"). A closed version takes no new
   * profile, so once finished it stays finished: remembered, and only closed versions not yet seen
   * finished cost a (one-row) read.
   */
  private async finishedVersions(
    sandbox: string,
    versions: readonly JourneyVersion[],
  ): Promise<Set<string>> {
    const out = new Set<string>();
    for (const v of versions) {
      if (v.status !== JourneyStatus.Closed) continue;
      // createdAt: a journey deleted and made again under its id starts its versions anew.
      const known = `${sandbox}\u0000${versionKey(v)}@${v.createdAt}`;
      if (!this.seenFinished.has(known)) {
        const left = await this.store.activeInstancesOfVersion(sandbox, v.journeyId, v.version, 1);
        if (shownStatus(v.status, left.length > 0) !== FINISHED) continue;
        if (this.seenFinished.size >= MAX_REMEMBERED_FINISHED) this.seenFinished.clear();
        this.seenFinished.add(known);
      }
      out.add(versionKey(v));
    }
    return out;
  }
  private readonly seenFinished = new Set<string>();

  async get(sandbox: string, id: string): Promise<JourneySummary> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) throw notFound('journey', id);
    return summarize(id, versions, await this.finishedVersions(sandbox, versions));
  }

  async version(sandbox: string, id: string, version: number): Promise<JourneyVersion> {
    const v = (await this.store.getJourneyVersions(sandbox, id)).find((x) => x.version === version);
    if (!v) throw notFound('journey version', `${id} v${version}`);
    return v;
  }

  /** Validation issues of a definition against the sandbox's objects, without saving anything. */
  async validate(sandbox: string, def: JourneyDefinition, id?: string): Promise<JourneyIssue[]> {
    // A stored draft may still lack choices that publication needs: those are named first, and
    // the rules' messages about the same places (an unknown configuration "") are left out.
    const shape = shapeProblems(def);
    const covered = new Set(shape.map((i) => i.path));
    const catalog = await this.rt.catalogs.get(sandbox);
    const r = compileJourney('validation', 0, def, catalog.journeyCatalog, id ? { self: id } : {});
    const issues: JourneyIssue[] = [
      ...shape,
      ...(r.ok ? [] : r.issues.filter((i) => !covered.has(i.path))),
    ];
    for (const [index, node] of def.nodes.entries()) {
      if (!isMessageNode(node)) continue;
      const parsed = messageContentSchema.safeParse({
        channel: channelOfKind(node.kind),
        ...node.content,
      });
      if (!parsed.success) {
        for (const z of zodIssues(parsed.error))
          issues.push({
            node: node.id,
            path: `nodes[${index}].content.${z.path}`,
            code: 'content',
            message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${z.message}`,
          });
        continue;
      }
      // References are checked against the schemas of the journey's events and actions.
      // A business event journey's profiles all hold its business event (the entry's).
      const business = def.entry.type === 'readAudience' ? def.entry.businessEvent : undefined;
      const scope = {
        events: Object.fromEntries(
          [
            ...(business !== undefined ? [business] : []),
            ...def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : [])),
          ].map((e) => [e, catalog.journeyCatalog.events[e]?.schema ?? {}]),
        ),
        actions: Object.fromEntries(
          def.nodes
            .filter((n) => n.kind === 'action')
            .map((n) => [n.action, catalog.journeyCatalog.actions[n.action]?.responseSchema ?? {}]),
        ),
      };
      const compiled = await compileMessage(parsed.data, catalog.content, { scope });
      if (!compiled.ok)
        for (const d of compiled.diagnostics)
          issues.push({
            node: node.id,
            path: `nodes[${index}].content`,
            code: 'content',
            message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${d.message}`,
          });
    }
    return issues;
  }

  async create(sandbox: string, id: string, input: unknown): Promise<DraftSaved> {
    const def = this.parseDraft(input);
    if ((await this.store.getJourneyVersions(sandbox, id)).length > 0)
      throw new WaymarkError(ErrorCode.Conflict, `the journey "${id}" already exists`);
    const at = this.nowIso();
    const v = {
      journeyId: id,
      version: 1,
      status: JourneyStatus.Draft,
      definition: def,
      createdAt: at,
      updatedAt: at,
      revision: 1,
    };
    await this.store.putJourneyVersion(sandbox, v);
    this.rt.catalogs.invalidate(sandbox);
    const problems = await this.validate(sandbox, def, id);
    return { journey: v, problems, issues: problems };
  }

  /**
   * Replaces the definition of the latest version, which must be a draft, whatever its state (its
   * problems come back). With `expected` (If-Match), only if nobody saved that draft since.
   */
  async update(
    sandbox: string,
    id: string,
    input: unknown,
    expected?: { version?: number; revision: number },
  ): Promise<DraftSaved> {
    const def = this.parseDraft(input);
    // Without If-Match the last save wins, as before; a save landing between this read and the
    // conditional write below is then simply read again (a few times at most).
    for (let attempt = 1; ; attempt++) {
      const latest = (await this.get(sandbox, id)).latest;
      const current = latest.revision ?? 1;
      this.checkExpected(id, latest, expected);
      if (latest.status !== JourneyStatus.Draft)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `version ${latest.version} of "${id}" is ${latest.status}; create a new version to change it`,
        );
      await this.checkNotInReview(sandbox, latest);
      await this.checkTemplateLocks(sandbox, latest.definition, def);
      const v = { ...latest, definition: def, updatedAt: this.nowIso() };
      // Conditional on the revision just read: with If-Match, a save landing in between is never overwritten unseen.
      if (await this.store.replaceJourneyVersionIfRevision(sandbox, v, current)) {
        this.rt.catalogs.invalidate(sandbox);
        const problems = await this.validate(sandbox, def, id);
        return { journey: { ...v, revision: current + 1 }, problems, issues: problems };
      }
      // Without If-Match the last save wins: saves sent together each retry until theirs lands (3 tries lost to 4 concurrent saves on PostgreSQL).
      if (expected || attempt >= 50) {
        const now = (await this.get(sandbox, id)).latest;
        throw versionConflict('journey', id, expected?.revision ?? current, now.revision ?? 1, {
          version: now.version,
          etag: journeyEtag(now),
        });
      }
    }
  }

  /** Messages made from a content template keep its locked parts: an edit that touches them is refused. */
  private async checkTemplateLocks(
    sandbox: string,
    before: JourneyDefinition,
    after: JourneyDefinition,
  ): Promise<void> {
    const catalog = await this.rt.catalogs.get(sandbox);
    const issues: ErrorIssue[] = [];
    after.nodes.forEach((node, index) => {
      if (!isMessageNode(node)) return;
      const old = before.nodes.find((n) => n.id === node.id);
      const templateId = typeof node.content.template === 'string' ? node.content.template : null;
      if (!old || !isMessageNode(old) || !templateId || old.content.template !== templateId) return;
      const template = catalog.content.contentTemplate(templateId);
      const a = messageContentSchema.safeParse({
        channel: channelOfKind(old.kind),
        ...old.content,
      });
      const b = messageContentSchema.safeParse({
        channel: channelOfKind(node.kind),
        ...node.content,
      });
      if (!template || !a.success || !b.success) return;
      for (const v of checkTemplateEdit(template, a.data, b.data))
        issues.push({
          path: `nodes[${index}].content`,
          message: `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${v.message}`,
        });
    });
    if (issues.length > 0)
      throw new WaymarkError(
        ErrorCode.Conflict,
        'the edit changes parts that its content template locks',
        { issues },
      );
  }

  /** Creates or updates from a package: a draft is replaced; otherwise a new draft version follows. */
  async upsert(sandbox: string, id: string, input: unknown): Promise<JourneyVersion> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) return (await this.create(sandbox, id, input)).journey;
    const latest = versions[versions.length - 1]!;
    if (latest.status === JourneyStatus.Draft)
      return (await this.update(sandbox, id, input)).journey;
    const def = this.parseDraft(input);
    if (JSON.stringify(def) === JSON.stringify(latest.definition)) return latest;
    await this.newVersion(sandbox, id);
    return (await this.update(sandbox, id, def)).journey;
  }

  async newVersion(sandbox: string, id: string): Promise<JourneyVersion> {
    const latest = (await this.get(sandbox, id)).latest;
    if (latest.status === JourneyStatus.Draft)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `version ${latest.version} of "${id}" is still a draft`,
      );
    if (latest.status === JourneyStatus.DryRun)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `version ${latest.version} of "${id}" is a draft in dry run: stop the dry run to edit it`,
      );
    const at = this.nowIso();
    const v = {
      journeyId: id,
      version: latest.version + 1,
      status: JourneyStatus.Draft,
      definition: latest.definition,
      createdAt: at,
      updatedAt: at,
      revision: 1,
    };
    await this.store.putJourneyVersion(sandbox, v);
    this.rt.catalogs.invalidate(sandbox);
    return v;
  }

  /** Refuses (409 version_conflict) when the latest version is not the one `expected` names (If-Match). */
  private checkExpected(
    id: string,
    latest: JourneyVersion,
    expected?: { version?: number; revision: number },
  ): void {
    const current = latest.revision ?? 1;
    if (
      expected &&
      (expected.revision !== current ||
        (expected.version !== undefined && expected.version !== latest.version))
    ) {
      throw versionConflict('journey', id, expected.revision, current, {
        version: latest.version,
        etag: journeyEtag(latest),
      });
    }
  }

  async deleteDraft(
    sandbox: string,
    id: string,
    expected?: { version?: number; revision: number },
  ): Promise<void> {
    const latest = (await this.get(sandbox, id)).latest;
    this.checkExpected(id, latest, expected);
    if (latest.status !== JourneyStatus.Draft)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `only drafts can be deleted; version ${latest.version} is ${latest.status}`,
      );
    await this.checkNotInReview(sandbox, latest);
    await this.store.deleteJourneyVersion(sandbox, id, latest.version);
    this.rt.catalogs.invalidate(sandbox);
  }

  /**
   * Publishes the draft; with `expected` (If-Match) only the draft as its publisher last saw it.
   * Where the sandbox needs approvals, only an approval publishes (`approved`); anyone else gets 409 approval_required.
   */
  async publish(
    sandbox: string,
    id: string,
    expected?: { version?: number; revision: number },
    opts: { approved?: boolean } = {},
  ): Promise<JourneyVersion> {
    const summary = await this.get(sandbox, id);
    const draft = summary.latest;
    this.checkExpected(id, draft, expected);
    if (opts.approved !== true && this.gate && (await this.gate.required(sandbox))) {
      throw new WaymarkError(
        ErrorCode.ApprovalRequired,
        `publishing journeys in sandbox "${sandbox}" needs an approval: request one (POST /v1/journeys/${id}/approval-requests)`,
        { details: { journey: id, version: draft.version } },
      );
    }
    const t = transition(draft.status, 'publish');
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    const issues = await this.validate(sandbox, draft.definition, id);
    const previous =
      (await this.store.getJourneyVersions(sandbox, id))
        .filter((v) => v.version < draft.version)
        .pop() ?? null;
    if (previous) {
      if (JSON.stringify(previous.definition.entry) !== JSON.stringify(draft.definition.entry))
        issues.push({
          node: null,
          path: 'entry',
          code: 'entry_changed',
          message: 'the entry type cannot change between versions',
        });
      if (
        JSON.stringify(previous.definition.reentrance) !==
        JSON.stringify(draft.definition.reentrance)
      )
        issues.push({
          node: null,
          path: 'reentrance',
          code: 'reentrance_changed',
          message: 'the re-entrance rule cannot change between versions',
        });
    }
    if (issues.length > 0)
      throw validationFailed(
        `journey "${id}" v${draft.version} cannot be published: ${issues.length} problem(s)`,
        toIssues(issues),
      );
    const at = this.nowIso();
    for (const v of await this.store.getJourneyVersions(sandbox, id)) {
      if (
        v.version !== draft.version &&
        (v.status === JourneyStatus.Live || v.status === JourneyStatus.Paused)
      ) {
        await this.store.putJourneyVersion(sandbox, {
          ...v,
          status: JourneyStatus.Closed,
          closedAt: at,
          updatedAt: at,
        });
      }
    }
    // Test runs leave nothing behind when the journey goes live, nor does a dry run's kept report.
    const endedDry = await this.dropEndedDryRun(sandbox, id);
    if (draft.status === JourneyStatus.Test || endedDry === draft.version)
      await this.purgeRuntime(sandbox, id, draft.version);
    return this.storeStatus(sandbox, draft, JourneyStatus.Live, at, { publishedAt: at });
  }

  /**
   * Test mode on a draft: only test profiles enter and waits and timeouts are shortened. Turning it
   * off clears the test instances and the report; the journey cannot be edited meanwhile.
   */
  async testMode(sandbox: string, id: string, enabled: boolean): Promise<JourneyVersion> {
    const latest = (await this.get(sandbox, id)).latest;
    const t = transition(latest.status, enabled ? 'test' : 'untest');
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    if (enabled) {
      const issues = await this.validate(sandbox, latest.definition, id);
      if (issues.length > 0)
        throw validationFailed(
          `journey "${id}" cannot enter test mode: ${issues.length} problem(s)`,
          toIssues(issues),
        );
    }
    // A dry run's kept report does not count as test runs.
    if (enabled) await this.dropKeptDryRun(sandbox, id, latest.version);
    const next = await this.storeStatus(sandbox, latest, t.to, this.nowIso());
    if (!enabled) await this.purgeRuntime(sandbox, id, latest.version);
    return next;
  }

  /** Forgets the journey's kept report of a dry run that ended by itself; the version it was of (null: none). */
  private async dropEndedDryRun(sandbox: string, id: string): Promise<number | null> {
    const ended = await endedDryRun(this.store, sandbox, id);
    if (!ended) return null;
    await forgetEndedDryRun(this.store, sandbox, id);
    return ended.version;
  }

  /** Drops a kept dry-run report, and its counters when it was of `version` (which runs again). */
  private async dropKeptDryRun(sandbox: string, id: string, version: number): Promise<void> {
    if ((await this.dropEndedDryRun(sandbox, id)) === version)
      await this.purgeRuntime(sandbox, id, version);
  }

  /** Deletes a version's instances, timers, outbox items and counters (through the writer). */
  private async purgeRuntime(sandbox: string, id: string, version: number): Promise<void> {
    await this.rt.writer.exclusive((turn) => turn.store.purgeVersionRuntime(sandbox, id, version));
  }

  /**
   * Dry run on the latest draft: real profiles enter on real events and move with the real clock,
   * but no message is sent, no custom action called, no profile changed and no other journey
   * entered; what would have been done is counted in the version's own report. Stopping it (by
   * hand) ends the profiles in it and clears that report; the draft is a draft again. Left alone,
   * it ends by itself 14 days after it started (src/runtime/dry-run.ts), its report kept until the
   * draft runs again or is published.
   */
  async dryRun(sandbox: string, id: string, enabled: boolean): Promise<JourneyVersion> {
    const summary = await this.get(sandbox, id);
    const latest = summary.latest;
    const t = transition(latest.status, enabled ? 'dryRun' : 'stopDryRun');
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    if (enabled) {
      const versions = await this.store.getJourneyVersions(sandbox, id);
      const running = versions.find(
        (v) => v.status === JourneyStatus.Live || v.status === JourneyStatus.Paused,
      );
      if (running)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `journey "${id}" cannot start a dry run while v${running.version} is ${running.status}: close it first`,
        );
      const issues = await this.validate(sandbox, latest.definition, id);
      latest.definition.nodes.forEach((n, index) => {
        if (n.kind === 'reaction')
          issues.push({
            node: n.id,
            path: `nodes[${index}]`,
            code: 'dry_run_reaction',
            message: `reaction activity "${n.label ?? n.id}" (id ${n.id}): a dry run sends nothing, so there is nothing to react to`,
          });
      });
      if (issues.length > 0)
        throw validationFailed(
          `journey "${id}" cannot start a dry run: ${issues.length} problem(s)`,
          toIssues(issues),
        );
    }
    // A new dry run starts from nothing: the report kept from the last one goes.
    if (enabled) await this.dropKeptDryRun(sandbox, id, latest.version);
    const next = await this.storeStatus(sandbox, latest, t.to, this.nowIso());
    if (!enabled) {
      await this.rt.engine.stopVersion(sandbox, id, latest.version);
      await this.purgeRuntime(sandbox, id, latest.version);
    }
    return next;
  }

  /** pause, resume, close or stop the journey's current live (or paused, or closed) version. */
  async command(
    sandbox: string,
    id: string,
    command: Exclude<LifecycleCommand, 'publish' | 'test' | 'untest' | 'dryRun' | 'stopDryRun'>,
    version?: number,
  ): Promise<JourneyVersion> {
    const versions = await this.store.getJourneyVersions(sandbox, id);
    if (versions.length === 0) throw notFound('journey', id);
    const target =
      version !== undefined
        ? versions.find((v) => v.version === version)
        : [...versions]
            .reverse()
            .find(
              (v) =>
                v.status !== JourneyStatus.Draft &&
                v.status !== JourneyStatus.Test &&
                v.status !== JourneyStatus.DryRun &&
                v.status !== JourneyStatus.Stopped &&
                (command !== 'resume' || v.status === JourneyStatus.Paused),
            );
    if (!target)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `journey "${id}" has no version that can ${command}`,
      );
    const t = transition(target.status, command);
    if (!t.ok) throw new WaymarkError(ErrorCode.Conflict, t.message);
    const at = this.nowIso();
    const next = await this.storeStatus(
      sandbox,
      target,
      t.to,
      at,
      t.to === JourneyStatus.Closed || t.to === JourneyStatus.Stopped ? { closedAt: at } : {},
    );
    if (command === 'stop') await this.rt.engine.stopVersion(sandbox, id, target.version);
    return next;
  }

  /** A version with its next status stored (a new revision), the catalogs told. */
  private async storeStatus(
    sandbox: string,
    version: JourneyVersion,
    status: JourneyStatus,
    at: string,
    extra: Partial<Pick<JourneyVersion, 'publishedAt' | 'closedAt'>> = {},
  ): Promise<JourneyVersion> {
    const next: JourneyVersion = {
      ...version,
      status,
      updatedAt: at,
      revision: (version.revision ?? 1) + 1,
      ...extra,
    };
    await this.store.putJourneyVersion(sandbox, next);
    this.rt.catalogs.invalidate(sandbox);
    return next;
  }
}

/** The ETag of a journey: its latest version and that version's revision, e.g. "v2-r5". */
export const journeyEtag = (v: JourneyVersion): string => `"v${v.version}-r${v.revision ?? 1}"`;

const choices: Record<string, (n: JourneyNode | undefined) => string> = {
  name: () => 'give the journey a name',
  start: () => 'choose the first activity',
  nodes: () => 'add at least one activity',
  configuration: (n) =>
    `choose ${
      n?.kind === 'email'
        ? 'an email'
        : n?.kind === 'push'
          ? 'a push'
          : n?.kind === 'inApp'
            ? 'an in-app'
            : n?.kind === 'codeBased'
              ? 'a code-based'
              : 'an SMS'
    } configuration`,
  event: () => 'choose an event',
  action: () => 'choose a custom action',
  paths: () => 'add at least one path',
  message: () => 'choose the message activity it reacts to',
  attribute: () => 'choose the profile attribute to update',
  value: () => 'give the new value (a journey expression)',
  journey: () => 'choose the journey to jump to',
};

/** What a stored draft still lacks for publication (the stricter schema's findings), each at its activity. */
function shapeProblems(def: JourneyDefinition): JourneyIssue[] {
  const r = journeyDefinitionSchema.safeParse(def);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const [first, index, ...rest] = i.path.map(String);
    const node = first === 'nodes' && index !== undefined ? def.nodes[Number(index)] : undefined;
    const path = node
      ? [`nodes[${index}]`, ...rest].join('.')
      : i.path.map(String).join('.') || '(root)';
    const field = node ? rest[0] : first;
    const text =
      (field !== undefined && rest.length <= 1 ? choices[field]?.(node) : undefined) ?? i.message;
    return {
      node: node?.id ?? null,
      path,
      code: 'incomplete',
      message: node
        ? `${node.kind} activity "${node.label ?? node.id}" (id ${node.id}): ${text}`
        : text,
    };
  });
}

const versionKey = (v: { journeyId: string; version: number }): string =>
  `${v.journeyId}:${v.version}`;

function summarize(
  id: string,
  versions: JourneyVersion[],
  finished: ReadonlySet<string>,
): JourneySummary {
  const shown = (v: JourneyVersion): ShownStatus =>
    finished.has(versionKey(v)) ? FINISHED : v.status;
  const latest = versions[versions.length - 1]!;
  const live =
    [...versions]
      .reverse()
      .find((v) => v.status === JourneyStatus.Live || v.status === JourneyStatus.Paused) ?? null;
  return {
    id,
    name: latest.definition.name,
    latest,
    live,
    versions: versions.map((v) => ({
      version: v.version,
      status: shown(v),
      updatedAt: v.updatedAt,
    })),
    status: shown(latest),
  };
}
