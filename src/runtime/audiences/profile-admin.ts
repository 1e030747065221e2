// Profile administration: erasure on request, bulk import (CSV or JSON lines) with progress and a
// per-row error report, and the experience-event retention setting.
import { validationFailed } from '../../errors.ts';
import type { ErrorIssue } from '../../errors.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import type { ProfileService } from '../profiles.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import { parseImport, type ImportFormat, type ParsedRow } from './import-rows.ts';
import type { AudienceRuntime } from './runtime.ts';

export interface ImportReport {
  readonly total: number;
  readonly imported: number;
  readonly failed: number;
  /** One entry per rejected row: the file line and what is wrong. */
  readonly errors: ReadonlyArray<{ readonly line: number; readonly issues: readonly ErrorIssue[] }>;
}

export interface ImportOptions {
  readonly format: ImportFormat;
  /** Called after each chunk with the rows done so far. */
  readonly onProgress?: (done: number) => void;
  /** Rows per transaction (default 500). */
  readonly chunk?: number;
  /** At most this many errors are reported (default 1000); all are counted. */
  readonly maxErrors?: number;
}

export const RETENTION_KEY = 'eventRetentionDays';
export const retentionJobId = 'retention';

export class ProfileAdmin {
  constructor(
    private readonly rt: RuntimeParts,
    private readonly runtime: AudienceRuntime,
    private readonly profiles: ProfileService,
  ) {}

  /** Erases a profile on request: attributes, identities, events, messages, memberships, journey instances (with their timers and pending effects). */
  async erase(
    sandbox: string,
    namespace: string,
    id: string,
  ): Promise<{ profileId: string; erased: true }> {
    const profile = await this.profiles.get(sandbox, namespace, id);
    return this.rt.writer.run(async (uow) => {
      uow.deleteProfile({ sandbox, profileId: profile.id });
      this.runtime.streaming.forget(uow, sandbox, profile.id);
      return { profileId: profile.id, erased: true as const };
    });
  }

  /** Imports profiles (create or deep-merge, identities stitched) a chunk per transaction; bad rows are reported and skipped. */
  async import(sandbox: string, text: string, opts: ImportOptions): Promise<ImportReport> {
    const chunkSize = opts.chunk ?? 500;
    const maxErrors = opts.maxErrors ?? 1000;
    const errors: Array<{ line: number; issues: ErrorIssue[] }> = [];
    let total = 0;
    let imported = 0;
    let failed = 0;
    const fail = (line: number, issues: ErrorIssue[]): void => {
      failed++;
      if (errors.length < maxErrors) errors.push({ line, issues });
    };
    const flush = async (rows: Array<Extract<ParsedRow, { ok: true }>>): Promise<void> => {
      if (rows.length === 0) return;
      const prepared: Array<{ line: number; go: (uow: UnitOfWork) => Promise<unknown> }> = [];
      for (const r of rows) {
        try {
          const u = await this.profiles.prepare(sandbox, r.row.namespace, r.row.id, r.row);
          prepared.push({ line: r.line, go: (uow) => this.profiles.applyUpdate(uow, sandbox, u) });
        } catch (e) {
          fail(r.line, issuesOf(e));
        }
      }
      await this.rt.writer.run(async (uow) => {
        for (const p of prepared) {
          try {
            await p.go(uow);
            imported++;
          } catch (e) {
            fail(p.line, issuesOf(e));
          }
        }
      });
      opts.onProgress?.(total);
    };
    let chunk: Array<Extract<ParsedRow, { ok: true }>> = [];
    for (const row of parseImport(text, opts.format)) {
      total++;
      if (!row.ok) {
        fail(row.line, row.issues);
        continue;
      }
      chunk.push(row);
      if (chunk.length >= chunkSize) {
        await flush(chunk);
        chunk = [];
      }
    }
    await flush(chunk);
    errors.sort((a, b) => a.line - b.line);
    return { total, imported, failed, errors };
  }

  async retention(sandbox: string): Promise<{ eventRetentionDays: number | null }> {
    const v = await this.rt.store.getSetting(sandbox, RETENTION_KEY);
    return { eventRetentionDays: typeof v === 'number' ? v : null };
  }

  /** Experience events older than `days` are deleted now and then every hour; null keeps them all. */
  async setRetention(
    sandbox: string,
    days: number | null,
  ): Promise<{ eventRetentionDays: number | null; purged: number }> {
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw validationFailed('the retention setting is invalid', [
        {
          path: 'eventRetentionDays',
          message: 'a whole number of days from 1 to 3650, or null',
          received: String(days),
        },
      ]);
    }
    return this.rt.writer.exclusive(async (turn) => {
      await turn.store.putSetting(sandbox, RETENTION_KEY, days);
      const now = this.rt.clock.now();
      const purged =
        days === null ? 0 : await turn.store.purgeEvents(sandbox, now - days * 86_400_000);
      const uow = turn.unit(now);
      this.runtime.saveJob(
        uow,
        sandbox,
        retentionJobId,
        days === null ? null : { kind: 'retention', days, nextRunAt: now + 3_600_000 },
        days === null ? null : now + 3_600_000,
      );
      await turn.commit(uow);
      return { eventRetentionDays: days, purged };
    });
  }
}

function issuesOf(e: unknown): ErrorIssue[] {
  const err = e as { message?: unknown; issues?: unknown };
  if (Array.isArray(err.issues) && err.issues.length > 0) return err.issues as ErrorIssue[];
  return [{ path: '(row)', message: typeof err.message === 'string' ? err.message : String(e) }];
}
