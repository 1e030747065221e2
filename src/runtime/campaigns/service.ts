// Campaigns: drafts (If-Match on their revision), activation (every problem named, the runs fixed),
// stop, and the status a campaign shows: scheduled before a run, live while one sends (or while an
// API-triggered campaign takes calls), completed after the last. The runs themselves are the
// engine's (catalog-entries.ts): this service only stores the campaign and invalidates the catalog.
import {
  campaignJourneyId,
  readStartOf,
  timedPerProfile,
  versionOf,
  WINNER_ARM,
} from '../../campaign/as-journey.ts';
import { matchingPolicy, type CampaignApprovalPolicy } from '../../campaign/approval-policy.ts';
import { runTimes } from '../../campaign/schedule.ts';
import {
  ErrorCode,
  notFound,
  validationFailed,
  versionConflict,
  WaymarkError,
} from '../../errors.ts';
import {
  campaignDefinitionSchema,
  type CampaignDefinition,
  type CampaignStatus,
} from '../../model/campaign.ts';
import type {
  AudienceEstimate,
  CampaignReport,
  CampaignView,
  TriggerAnswer,
  TriggerBody,
} from '../../isomorphic/api/campaigns.ts';
import type { ReportCell } from '../../campaign/report-cell.ts';
import type { StoredObject } from '../../store/ports.ts';
import { versionReadProgress, type ReadJobState } from '../audiences/read-audience.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import { zodIssues } from '../zod-issues.ts';
import type { Assign } from './catalog-entries.ts';
import { experimentAnalysis, experimentMetrics } from './experiment.ts';
import { campaignProblems } from './problems.ts';
import { campaignCellProfiles } from './cell-audience.ts';
import { buildCampaignReport, readArms } from './report.ts';
import { triggerCampaign } from './trigger.ts';
import { CAMPAIGN_KIND, decodeCampaign, type StoredCampaign } from './stored.ts';

const etagOf = (revision: number): string => `"r${revision}"`;

/** A sandbox's campaign approval policies (its settings), oldest first. */
export type ApprovalPolicySource = (sandbox: string) => Promise<readonly CampaignApprovalPolicy[]>;

export class CampaignService {
  /** None until access control is wired (approvals.ts sets the sandbox settings' reader). */
  private policies: ApprovalPolicySource = async () => [];

  constructor(
    private readonly rt: RuntimeParts,
    /** Experiment assignment (the catalog's, so reads and calls agree). */
    private readonly assign: Assign,
  ) {}

  private iso(ms = this.rt.clock.now()): string {
    return new Date(ms).toISOString();
  }

  setApprovalPolicies(source: ApprovalPolicySource): void {
    this.policies = source;
  }

  /** The approval policy that applies to the campaign now, if any. */
  async policyFor(sandbox: string, c: StoredCampaign): Promise<CampaignApprovalPolicy | null> {
    return matchingPolicy(await this.policies(sandbox), c.definition);
  }

  async load(sandbox: string, id: string): Promise<{ c: StoredCampaign; revision: number }> {
    const o = await this.rt.store.getObject(sandbox, CAMPAIGN_KIND, id);
    const c = o ? decodeCampaign(o.body) : null;
    if (!o || !c) throw notFound('campaign', id);
    return { c, revision: o.revision };
  }

  async all(sandbox: string): Promise<Array<{ c: StoredCampaign; revision: number }>> {
    const objs: StoredObject[] = await this.rt.store.listObjects(sandbox, CAMPAIGN_KIND);
    return objs.flatMap((o) => {
      const c = decodeCampaign(o.body);
      return c ? [{ c, revision: o.revision }] : [];
    });
  }

  parse(body: unknown): CampaignDefinition {
    const r = campaignDefinitionSchema.safeParse(body);
    if (!r.success) throw validationFailed('the campaign is invalid', zodIssues(r.error));
    return r.data;
  }

  /** The status shown, the next run, and when it completed, from the stored state and the runs' progress. */
  async statusOf(
    sandbox: string,
    c: StoredCampaign,
    jobs?: ReadonlyMap<string, ReadJobState>,
  ): Promise<{ status: CampaignStatus; nextRunAt?: string; completedAt?: string }> {
    switch (c.state) {
      case 'draft':
        return { status: 'draft' };
      case 'inReview':
        return { status: 'inReview' };
      case 'stopped':
        return { status: 'stopped' };
      case 'active':
        break;
      default: {
        const never: never = c.state;
        throw new Error(`unhandled campaign state ${String(never)}`);
      }
    }
    const now = this.rt.clock.now();
    const def = c.definition;
    if (def.type === 'api-triggered') {
      const start = def.schedule.kind === 'at' ? Date.parse(def.schedule.at) : 0;
      const end =
        def.schedule.kind === 'at' && def.schedule.endAt
          ? Date.parse(def.schedule.endAt)
          : Infinity;
      if (now < start) return { status: 'scheduled', nextRunAt: this.iso(start) };
      if (now > end) return { status: 'completed', completedAt: this.iso(end) };
      return { status: 'live' };
    }
    const progress = jobs ?? (await this.jobsOf(sandbox));
    const journeyId = campaignJourneyId(c.id);
    const arms = readArms(def);
    // Fleet mode: a run is read once every partition's share of it is (versionReadProgress).
    const read = (run: number): boolean =>
      arms.every((arm) => versionReadProgress(progress, journeyId, versionOf(run, arm)).done);
    const pending = c.runs.findIndex((_, i) => !read(i + 1));
    // Timed in each profile's zone, a read run is done once nobody waits for their local time.
    const waiting =
      pending === -1 && timedPerProfile(def) ? await this.stillWaiting(sandbox, c, arms) : false;
    if (pending === -1 && !waiting) return { status: 'completed', completedAt: c.updatedAt };
    const next = c.runs.find((at) => at > now);
    const started = pending === -1 || readStartOf(def, c.runs[pending]!) <= now;
    return {
      status: started ? 'live' : 'scheduled',
      ...(next !== undefined ? { nextRunAt: this.iso(next) } : {}),
    };
  }

  private async stillWaiting(
    sandbox: string,
    c: StoredCampaign,
    arms: readonly number[],
  ): Promise<boolean> {
    // The last run's waits end last (runs are ordered, each window 26 hours long).
    const journeyId = campaignJourneyId(c.id);
    for (const arm of arms) {
      const active = await this.rt.store.activeInstancesOfVersion(
        sandbox,
        journeyId,
        versionOf(c.runs.length, arm),
        1,
      );
      if (active.length > 0) return true;
    }
    return false;
  }

  async jobsOf(sandbox: string): Promise<Map<string, ReadJobState>> {
    const jobs = await this.rt.store.audienceJobs(sandbox);
    return new Map(
      jobs
        .filter((j) => (j.state as { kind?: string } | null)?.kind === 'read')
        .map((j) => [j.id, j.state as ReadJobState] as const),
    );
  }

  async view(sandbox: string, c: StoredCampaign, revision: number): Promise<CampaignView> {
    const s = await this.statusOf(sandbox, c);
    const problems =
      c.state === 'draft' || c.state === 'inReview'
        ? await campaignProblems(
            c.definition,
            await this.rt.catalogs.get(sandbox),
            this.rt.clock.now(),
          )
        : [];
    return {
      id: c.id,
      definition: c.definition,
      status: s.status,
      revision,
      etag: etagOf(revision),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      ...(c.activatedAt ? { activatedAt: c.activatedAt } : {}),
      ...(c.stoppedAt ? { stoppedAt: c.stoppedAt } : {}),
      ...(s.completedAt ? { completedAt: s.completedAt } : {}),
      ...(s.nextRunAt ? { nextRunAt: s.nextRunAt } : {}),
      problems,
    };
  }

  async get(sandbox: string, id: string): Promise<CampaignView> {
    const { c, revision } = await this.load(sandbox, id);
    return this.view(sandbox, c, revision);
  }

  async create(sandbox: string, id: string | undefined, body: unknown): Promise<CampaignView> {
    const def = this.parse(body);
    const key = id ?? (await this.freeId(sandbox, def.name));
    if (await this.rt.store.getObject(sandbox, CAMPAIGN_KIND, key))
      throw new WaymarkError(ErrorCode.Conflict, `campaign "${key}" already exists`, {
        details: { key },
      });
    const now = this.iso();
    const c: StoredCampaign = {
      id: key,
      definition: def,
      state: 'draft',
      createdAt: now,
      updatedAt: now,
      runs: [],
      winners: [],
    };
    const o = await this.rt.store.putObject(sandbox, CAMPAIGN_KIND, key, c, now);
    return this.view(sandbox, c, o.revision);
  }

  private async freeId(sandbox: string, name: string): Promise<string> {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 70) || 'campaign';
    for (let n = 1; ; n++) {
      const key = n === 1 ? base : `${base}-${n}`;
      if (!(await this.rt.store.getObject(sandbox, CAMPAIGN_KIND, key))) return key;
    }
  }

  private async save(
    sandbox: string,
    c: StoredCampaign,
    revision: number,
    invalidate: boolean,
  ): Promise<CampaignView> {
    const ok = await this.rt.store.replaceObjectIfRevision(
      sandbox,
      CAMPAIGN_KIND,
      c.id,
      revision,
      c,
      c.updatedAt,
    );
    if (!ok) {
      const current = await this.rt.store.getObject(sandbox, CAMPAIGN_KIND, c.id);
      throw versionConflict('campaign', c.id, revision, current?.revision ?? null);
    }
    if (invalidate) this.rt.catalogs.invalidate(sandbox);
    return this.view(sandbox, c, revision + 1);
  }

  private mustBeDraft(c: StoredCampaign, doing: string): void {
    if (c.state === 'inReview')
      throw new WaymarkError(
        ErrorCode.InReview,
        `campaign "${c.id}" is in review: withdraw the approval request (or have changes requested) before it can be ${doing}`,
        { details: { campaign: c.id, state: c.state } },
      );
    if (c.state !== 'draft')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `campaign "${c.id}" is ${c.state === 'active' ? 'activated' : c.state}: only a draft can be ${doing}`,
        { details: { campaign: c.id, state: c.state } },
      );
  }

  async update(
    sandbox: string,
    id: string,
    body: unknown,
    expectedRevision?: number,
  ): Promise<CampaignView> {
    const { c, revision } = await this.load(sandbox, id);
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw versionConflict('campaign', id, expectedRevision, revision);
    this.mustBeDraft(c, 'changed');
    const def = this.parse(body);
    return this.save(sandbox, { ...c, definition: def, updatedAt: this.iso() }, revision, false);
  }

  async delete(sandbox: string, id: string, expectedRevision?: number): Promise<void> {
    const { c, revision } = await this.load(sandbox, id);
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw versionConflict('campaign', id, expectedRevision, revision);
    this.mustBeDraft(c, 'deleted');
    await this.rt.store.deleteObject(sandbox, CAMPAIGN_KIND, id);
  }

  /**
   * Draft → scheduled or live: refused with every problem named; the runs are fixed now. Where an
   * approval policy applies, only an approval activates (`approved`: the campaign is in review).
   */
  async activate(
    sandbox: string,
    id: string,
    expectedRevision?: number,
    opts: { approved?: boolean } = {},
  ): Promise<CampaignView> {
    const { c, revision } = await this.load(sandbox, id);
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw versionConflict('campaign', id, expectedRevision, revision);
    if (opts.approved) {
      if (c.state !== 'inReview')
        throw new WaymarkError(ErrorCode.Conflict, `campaign "${id}" is not in review`, {
          details: { campaign: id, state: c.state },
        });
    } else {
      this.mustBeDraft(c, 'activated');
      const policy = await this.policyFor(sandbox, c);
      if (policy)
        throw new WaymarkError(
          ErrorCode.ApprovalRequired,
          `campaign "${id}" needs an approval (policy "${policy.name}"): request one (POST /v1/campaigns/${id}/approval-requests)`,
          { details: { campaign: id, policy: policy.name } },
        );
    }
    await this.mustHaveNoProblems(sandbox, c, 'activated');
    const now = this.rt.clock.now();
    const runs =
      c.definition.type === 'scheduled'
        ? runTimes(c.definition.schedule, c.definition.timeZone, now)
        : [];
    const at = this.iso(now);
    return this.save(
      sandbox,
      { ...c, state: 'active', activatedAt: at, updatedAt: at, runs },
      revision,
      true,
    );
  }

  /** Refuses (422, every problem named) a campaign that could not run as it is. */
  async mustHaveNoProblems(sandbox: string, c: StoredCampaign, doing: string): Promise<void> {
    const problems = await campaignProblems(
      c.definition,
      await this.rt.catalogs.get(sandbox),
      this.rt.clock.now(),
    );
    if (problems.length > 0)
      throw validationFailed(`campaign "${c.id}" cannot be ${doing}`, problems);
  }

  /**
   * Moves a campaign between draft and in review (approvals.ts keeps the request itself): locked
   * while in review, editable again once changes are requested or the request is withdrawn.
   */
  async setReview(
    sandbox: string,
    id: string,
    from: 'draft' | 'inReview',
    to: 'draft' | 'inReview',
    expectedRevision?: number,
  ): Promise<CampaignView> {
    const { c, revision } = await this.load(sandbox, id);
    if (expectedRevision !== undefined && expectedRevision !== revision)
      throw versionConflict('campaign', id, expectedRevision, revision);
    if (c.state !== from)
      throw new WaymarkError(
        ErrorCode.Conflict,
        from === 'draft'
          ? `campaign "${id}" is ${c.state === 'active' ? 'activated' : c.state}: only a draft can be sent for approval`
          : `campaign "${id}" is not in review`,
        { details: { campaign: id, state: c.state } },
      );
    return this.save(sandbox, { ...c, state: to, updatedAt: this.iso() }, revision, false);
  }

  /** Stops a scheduled or live campaign: no later run starts, and the send in progress stops at its next step. */
  async stop(sandbox: string, id: string): Promise<CampaignView> {
    const { c, revision } = await this.load(sandbox, id);
    if (c.state !== 'active')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `campaign "${id}" is ${c.state}: only an activated campaign can be stopped`,
        { details: { campaign: id, state: c.state } },
      );
    const at = this.iso();
    const view = await this.save(
      sandbox,
      { ...c, state: 'stopped', stoppedAt: at, updatedAt: at },
      revision,
      true,
    );
    // Profiles still waiting for their local time get nothing (AJO: stop cancels the scheduled send).
    if (timedPerProfile(c.definition)) {
      const arms = c.definition.experiment
        ? [...c.definition.experiment.treatments.keys()].map((i) => i + 1).concat(WINNER_ARM)
        : [0];
      for (const [i] of c.runs.entries())
        for (const arm of arms)
          await this.rt.engine.stopVersion(sandbox, campaignJourneyId(c.id), versionOf(i + 1, arm));
    }
    return view;
  }

  /** An API-triggered campaign's call (trigger.ts); refused unless the campaign is live. */
  async trigger(sandbox: string, id: string, body: TriggerBody): Promise<TriggerAnswer> {
    const { c } = await this.load(sandbox, id);
    if (c.definition.type !== 'api-triggered')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `campaign "${id}" is a scheduled campaign: only API-triggered campaigns take calls`,
        { details: { campaign: id, type: c.definition.type } },
      );
    const { status } = await this.statusOf(sandbox, c);
    if (status !== 'live')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `campaign "${id}" is ${status}: it takes calls only while live`,
        { details: { campaign: id, status } },
      );
    return triggerCampaign(this.rt, this.assign, sandbox, c, body);
  }

  async report(sandbox: string, id: string): Promise<CampaignReport> {
    const { c } = await this.load(sandbox, id);
    const journeyId = campaignJourneyId(c.id);
    const jobs = await this.jobsOf(sandbox);
    const [{ status }, messages, counters] = await Promise.all([
      this.statusOf(sandbox, c, jobs),
      this.rt.store.messages(sandbox, { journeyId, limit: 10_000_000 }),
      this.rt.store.counters(sandbox, journeyId),
    ]);
    const { perArm: _perArm, ...report } = buildCampaignReport({
      campaign: c,
      status,
      messages,
      counters,
      jobs,
      now: this.rt.clock.now(),
    });
    const metrics = await experimentMetrics(this.rt, this.assign, sandbox, c, messages, {
      now: this.rt.clock.now(),
    });
    return { ...report, experiment: metrics ? experimentAnalysis(c, metrics) : null };
  }

  /** The profiles one cell of the report counts (cell-audience.ts), with the campaign they belong to. */
  async cellProfiles(
    sandbox: string,
    id: string,
    cell: ReportCell,
  ): Promise<{ campaign: StoredCampaign; profiles: string[] }> {
    const { c } = await this.load(sandbox, id);
    return { campaign: c, profiles: await campaignCellProfiles(this.rt, sandbox, c, cell) };
  }

  /** The audience's realized members now, and those with an identity in the campaign's namespace. */
  async estimate(sandbox: string, id: string): Promise<AudienceEstimate> {
    const { c } = await this.load(sandbox, id);
    const a = c.definition.audience;
    if (!a)
      throw new WaymarkError(
        ErrorCode.Conflict,
        `campaign "${id}" has no audience (${c.definition.type === 'api-triggered' ? 'its recipients come with each call' : 'choose one first'})`,
        { details: { campaign: id } },
      );
    let members = 0;
    let withIdentity = 0;
    let cursor = '';
    for (;;) {
      const page = await this.rt.store.audienceMembers(sandbox, a.audience, {
        status: 'realized',
        afterProfileId: cursor,
        limit: 1000,
      });
      for (const m of page) {
        members++;
        if (m.identities.some((i) => i.namespace === a.namespace)) withIdentity++;
        cursor = m.profileId;
      }
      if (page.length < 1000) break;
    }
    return {
      audience: a.audience,
      namespace: a.namespace,
      members,
      withIdentity,
      estimatedAt: this.iso(),
    };
  }
}
