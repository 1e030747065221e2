// What the API asks of audiences: memberships of a profile, size and sample, members, batch runs on
// demand and on a schedule, uploads (CSV, replace or append) and "audience from a report".
import {
  applyUpload,
  audienceFromFeedback,
  parseAudienceCsv,
  type FeedbackAudienceRequest,
  type UploadMode,
} from '../../audience/index.ts';
import { ErrorCode, notFound, validationFailed, WaymarkError } from '../../errors.ts';
import type { Audience } from '../../model/audience.ts';
import { normalizeIdentity } from '../../model/identity.ts';
import type { Profile } from '../../model/profile.ts';
import type { MembershipRow } from '../../store/ports.ts';
import { timeOrderedId } from '../engine/ids.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import type { ObjectService } from '../objects.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import {
  addPage,
  batchJobId,
  compiledAudience,
  emptyRun,
  evaluatePage,
  readPage,
  type BatchJobState,
  type BatchRunResult,
} from './batch.ts';
import { csvRecords } from './import-rows.ts';
import type { AudienceRuntime } from './runtime.ts';

export interface AudienceMemberView {
  readonly profileId: string;
  readonly status: 'realized' | 'exited';
  readonly realizedAt: string | null;
  readonly exitedAt: string | null;
  readonly identities: ReadonlyArray<{ namespace: string; id: string }>;
}

export interface UploadResult {
  readonly audience: string;
  readonly mode: UploadMode;
  readonly rows: number;
  readonly realized: number;
  readonly exited: number;
  readonly createdProfiles: number;
  readonly errors: ReadonlyArray<{ line: number; message: string }>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const memberView = (
  r: MembershipRow & { identities: ReadonlyArray<{ namespace: string; id: string }> },
): AudienceMemberView => ({
  profileId: r.profileId,
  status: r.status,
  realizedAt: iso(r.realizedAt),
  exitedAt: iso(r.exitedAt),
  identities: r.identities,
});

export class AudienceService {
  constructor(
    private readonly rt: RuntimeParts,
    private readonly runtime: AudienceRuntime,
    private readonly objects: ObjectService,
  ) {}

  private async definition(sandbox: string, name: string): Promise<Audience> {
    const a = (await this.rt.catalogs.get(sandbox)).audienceDefs.get(name);
    if (!a) throw notFound('audience', name);
    return a;
  }

  /** The sandbox's audience jobs: read-audience runs, batch schedules and one-off evaluations, retention. */
  jobs(sandbox: string): ReturnType<AudienceRuntime['jobs']> {
    return this.runtime.jobs(sandbox);
  }

  /** The size of an audience (realized and exited members) and a uniform random sample of realized members. */
  async size(
    sandbox: string,
    name: string,
    sampleSize = 20,
  ): Promise<{ audience: string; realized: number; exited: number; sample: AudienceMemberView[] }> {
    await this.definition(sandbox, name);
    const counts = await this.rt.store.audienceSize(sandbox, name);
    const k = Math.max(0, Math.min(sampleSize, 1000));
    const sample =
      k === 0 ? [] : (await this.rt.store.audienceSample(sandbox, name, k)).map(memberView);
    return { audience: name, ...counts, sample };
  }

  /** Members in profile id order (keyset paging: pass the last profileId as `after`). */
  async members(
    sandbox: string,
    name: string,
    opts: { status?: 'realized' | 'exited'; after?: string; limit: number },
  ): Promise<{ items: AudienceMemberView[]; next: string | null }> {
    await this.definition(sandbox, name);
    const rows = await this.rt.store.audienceMembers(sandbox, name, {
      limit: opts.limit,
      ...(opts.status ? { status: opts.status } : {}),
      ...(opts.after ? { afterProfileId: opts.after } : {}),
    });
    const items = rows.map(memberView);
    return {
      items,
      next: rows.length === opts.limit && rows.length > 0 ? rows[rows.length - 1]!.profileId : null,
    };
  }

  /** Evaluates an audience over every profile now, a page per transaction; memberships that change are stored. */
  async evaluate(sandbox: string, name: string, sampleSize = 20): Promise<BatchRunResult> {
    await this.definition(sandbox, name);
    let total = emptyRun(name);
    for (let after: string | undefined; ;) {
      const page = await this.rt.writer.exclusive(async (turn) => {
        const catalog = await this.rt.catalogs.get(sandbox);
        const audience = compiledAudience(catalog, name);
        const page = await readPage(this.rt.store, sandbox, audience, after ?? '');
        const uow = turn.unit();
        if (page.profiles.length === 0) {
          if (total.realized + total.exited > 0) {
            this.runtime.evaluateDependents(uow, catalog, name);
            await turn.commit(uow);
          }
          return null;
        }
        const r = await evaluatePage(
          this.rt.store,
          this.runtime.streaming,
          uow,
          catalog,
          audience,
          page,
        );
        await turn.commit(uow);
        return { r, last: page.profiles[page.profiles.length - 1]!.id };
      });
      if (!page) break;
      total = addPage(total, page.r, sampleSize);
      after = page.last;
    }
    return total;
  }

  /** Evaluates the audience every `everyMs` (first at `startAt`, default now); null removes the schedule. */
  async schedule(
    sandbox: string,
    name: string,
    everyMs: number | null,
    startAt?: number,
  ): Promise<BatchJobState | null> {
    await this.definition(sandbox, name);
    if (everyMs !== null && (!Number.isInteger(everyMs) || everyMs < 60_000))
      throw validationFailed('the schedule is invalid', [
        {
          path: 'everySeconds',
          message: 'at least 60 seconds',
          expected: 'an integer >= 60',
          received: String(everyMs / 1000),
        },
      ]);
    return this.rt.writer.run(async (uow) => {
      const state: BatchJobState | null =
        everyMs === null
          ? null
          : { kind: 'batch', audience: name, everyMs, nextRunAt: startAt ?? uow.now };
      this.runtime.saveJob(uow, sandbox, batchJobId(name), state, state?.nextRunAt ?? null);
      return state;
    });
  }

  /** Uploads the members of an uploaded audience from CSV: `replace` makes the file the whole audience, `append` adds. */
  async upload(
    sandbox: string,
    name: string,
    csv: string,
    opts: {
      mode: UploadMode;
      idColumn?: string;
      namespaceColumn?: string;
      createProfiles?: boolean;
    },
  ): Promise<UploadResult> {
    const def = await this.definition(sandbox, name);
    if (def.origin !== 'uploaded')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `the audience "${name}" is ${def.origin}; only uploaded audiences take a file`,
      );
    const parsed = parseAudienceCsv(csv, {
      idColumn: opts.idColumn ?? 'id',
      ...(opts.namespaceColumn ? { namespaceColumn: opts.namespaceColumn } : {}),
    });
    const errors = [...parsed.errors];
    const lineOf = rowLines(csv, opts.idColumn ?? 'id', opts.namespaceColumn);
    const catalog = await this.rt.catalogs.get(sandbox);
    return this.rt.writer.exclusive(async (turn) => {
      const uow = turn.unit();
      const at = new Date(uow.now).toISOString();
      const ids = new Map<string, Profile>();
      let created = 0;
      for (const row of parsed.rows) {
        const line = lineOf.get(`${row.namespace ?? ''}\u0000${row.id}`) ?? 0;
        const nsName = row.namespace ?? def.namespace;
        const ns = nsName === undefined ? undefined : catalog.namespaces.get(nsName);
        if (!ns) {
          errors.push({
            line,
            message:
              nsName === undefined
                ? "no namespace: add a namespace column or set the audience's namespace"
                : `unknown namespace "${nsName}"`,
          });
          continue;
        }
        const value = normalizeIdentity(ns.kind, row.id);
        const pid = await uow.findProfileId(sandbox, ns.code, value);
        let profile = pid ? await uow.profile(sandbox, pid) : null;
        if (!profile) {
          if (opts.createProfiles === false) {
            errors.push({ line, message: `no profile has the identity ${ns.code}:${value}` });
            continue;
          }
          profile = {
            id: timeOrderedId(),
            identities: [{ namespace: ns.code, id: value }],
            attributes: {},
            testProfile: false,
            createdAt: at,
            updatedAt: at,
          };
          uow.createProfile(sandbox, profile);
          created++;
        }
        ids.set(profile.id, profile);
      }
      const current: string[] = [];
      for (let after: string | undefined; ;) {
        const page = await this.rt.store.audienceMembers(sandbox, name, {
          status: 'realized',
          limit: 5000,
          ...(after ? { afterProfileId: after } : {}),
        });
        for (const m of page) current.push(m.profileId);
        if (page.length < 5000) break;
        after = page[page.length - 1]!.profileId;
      }
      const r = applyUpload(current, ids.keys(), opts.mode);
      for (const id of r.realized)
        await this.runtime.streaming.set(uow, sandbox, ids.get(id)!, [
          { audience: name, status: 'realized' },
        ]);
      for (const id of r.exited) {
        const p = await uow.profile(sandbox, id);
        if (p)
          await this.runtime.streaming.set(uow, sandbox, p, [{ audience: name, status: 'exited' }]);
      }
      await turn.commit(uow);
      errors.sort((a, b) => a.line - b.line);
      return {
        audience: name,
        mode: opts.mode,
        rows: parsed.rows.length,
        realized: r.realized.length,
        exited: r.exited.length,
        createdProfiles: created,
        errors,
      };
    });
  }

  /**
   * "Audience from a report": creates an audience of the profiles that gave a message a feedback
   * (e.g. clicked a given link), and evaluates it at once over the stored feedback.
   */
  async fromFeedback(
    sandbox: string,
    req: FeedbackAudienceRequest & { namespace?: string },
  ): Promise<{ audience: Audience; run: BatchRunResult }> {
    const { namespace, ...rest } = req;
    const audience: Audience = {
      ...audienceFromFeedback(rest),
      ...(namespace !== undefined ? { namespace } : {}),
    };
    if ((await this.rt.catalogs.get(sandbox)).audienceDefs.has(audience.name))
      throw new WaymarkError(ErrorCode.Conflict, `the audience "${audience.name}" already exists`);
    await this.objects.put(sandbox, 'audience', audience);
    return { audience, run: await this.evaluate(sandbox, audience.name) };
  }

  /**
   * Creates an audience of the profiles given (a fixed list: origin uploaded) with its members stored
   * at once; profiles that no longer exist are left out. Answers the size. The campaign report's
   * "create audience" (src/runtime/campaigns/cell-audience.ts) is its caller.
   */
  async createWithMembers(
    sandbox: string,
    audience: Audience & { origin: 'uploaded' },
    profileIds: readonly string[],
  ): Promise<number> {
    if ((await this.rt.catalogs.get(sandbox)).audienceDefs.has(audience.name))
      throw new WaymarkError(ErrorCode.Conflict, `the audience "${audience.name}" already exists`);
    await this.objects.put(sandbox, 'audience', audience);
    try {
      return await this.rt.writer.exclusive(async (turn) => {
        const uow = turn.unit();
        let size = 0;
        for (const id of profileIds) {
          const p = await uow.profile(sandbox, id);
          if (!p) continue;
          await this.runtime.streaming.set(uow, sandbox, p, [
            { audience: audience.name, status: 'realized' },
          ]);
          size++;
        }
        await turn.commit(uow);
        return size;
      });
    } catch (err) {
      // An audience without the members it was made for is worse than none: the caller may retry.
      await this.objects.delete(sandbox, 'audience', audience.name).catch(() => undefined);
      throw err;
    }
  }
}

/** The file line of each uploaded identity (`namespace\u0000id`, as parseAudienceCsv trims them), for error reports. */
function rowLines(
  csv: string,
  idColumn: string,
  namespaceColumn: string | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  let header: string[] | undefined;
  for (const rec of csvRecords(csv)) {
    if (!header) {
      header = rec.fields.map((f) => f.trim());
      continue;
    }
    const id = rec.fields[header.indexOf(idColumn)]?.trim() ?? '';
    const ns =
      namespaceColumn === undefined
        ? ''
        : (rec.fields[header.indexOf(namespaceColumn)]?.trim() ?? '');
    const key = `${ns}\u0000${id}`;
    if (!out.has(key)) out.set(key, rec.line);
  }
  return out;
}
