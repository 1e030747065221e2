// Optimistic concurrency over HTTP: every object and journey answer carries its version as an ETag;
// a save with If-Match is refused (409 version_conflict) when someone else saved a newer version.
// Without If-Match a save goes through as before (the CLI, scripts, packages).
import type { FastifyRequest } from 'fastify';
import { ErrorCode, WaymarkError } from '../errors.ts';

/** An object's ETag: its revision, e.g. "r3". */
export const objectEtag = (revision: number): string => `"r${revision}"`;

/** What an If-Match names: a revision, and for journeys the version it belongs to ("v2-r5"); null when absent or `*`. */
export interface ExpectedVersion {
  readonly version?: number;
  readonly revision: number;
}

export function ifMatchOf(req: FastifyRequest): ExpectedVersion | null {
  const raw = req.headers['if-match'];
  if (raw === undefined || raw === '' || raw.trim() === '*') return null;
  const m = /^\s*(?:W\/)?"?(?:v(\d{1,9})-)?r(\d{1,12})"?\s*$/.exec(raw);
  if (!m) {
    throw new WaymarkError(ErrorCode.BadRequest, 'the If-Match header is invalid', {
      issues: [
        {
          path: 'headers.if-match',
          message: 'the ETag of the version the change is based on, as the last answer gave it',
          expected: '"r<revision>" (objects) or "v<version>-r<revision>" (journeys)',
          received: raw.slice(0, 100),
        },
      ],
    });
  }
  return { ...(m[1] !== undefined ? { version: Number(m[1]) } : {}), revision: Number(m[2]) };
}
