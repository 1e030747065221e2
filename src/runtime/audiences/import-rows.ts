// Rows of a profile import file: CSV (RFC 4180: quoted fields, "" escapes, CRLF or LF, BOM) with a
// header `namespace,id,<attribute paths…>`, or JSON lines `{namespace, id, attributes?, identities?, testProfile?}`.
// CSV cells hold JSON scalars when they parse as one (numbers, true, false, null), else strings; an
// empty cell sets nothing; dotted headers (`person.name.firstName`) build nested attributes.
import type { ErrorIssue } from '../../errors.ts';
import { packageProfileSchema } from '../../model/profile.ts';
import type { z } from 'zod';
import { findForbiddenKey } from '../../shared/forbidden-keys.ts';
import { zodIssues } from '../zod-issues.ts';

export type ImportRow = z.infer<typeof packageProfileSchema>;
export type ParsedRow =
  | { readonly line: number; readonly ok: true; readonly row: ImportRow }
  | { readonly line: number; readonly ok: false; readonly issues: ErrorIssue[] };
export type ImportFormat = 'csv' | 'jsonl';

export { csvRecords } from '../../audience/csv.ts';
import { csvRecords } from '../../audience/csv.ts';

const scalar = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/;
const cell = (v: string): unknown => (scalar.test(v) ? (JSON.parse(v) as unknown) : v);
const forbidden = new Set(['__proto__', 'constructor', 'prototype']);

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const [i, seg] of path.entries()) {
    if (i === path.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
}

function check(line: number, raw: unknown): ParsedRow {
  const r = packageProfileSchema.safeParse(raw);
  return r.success
    ? { line, ok: true, row: r.data }
    : { line, ok: false, issues: zodIssues(r.error) };
}

export function* parseImport(text: string, format: ImportFormat): Generator<ParsedRow> {
  if (format === 'jsonl') {
    const lines = text.split('\n');
    for (const [i, l] of lines.entries()) {
      if (l.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(l);
      } catch (e) {
        yield {
          line: i + 1,
          ok: false,
          issues: [
            { path: '(line)', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` },
          ],
        };
        continue;
      }
      // Attributes are deep-merged into profiles: a "__proto__" key would reach a prototype.
      const key = findForbiddenKey(raw, 'record');
      if (key) {
        yield {
          line: i + 1,
          ok: false,
          issues: [{ path: key.path, message: 'this key is not allowed', received: key.key }],
        };
        continue;
      }
      yield check(i + 1, raw);
    }
    return;
  }
  let header: string[] | undefined;
  for (const rec of csvRecords(text)) {
    if (!header) {
      header = rec.fields.map((f) => f.trim());
      const missing = ['namespace', 'id'].filter((c) => !header!.includes(c));
      const bad = header.filter((h) => h.split('.').some((s) => s === '' || forbidden.has(s)));
      if (missing.length > 0 || bad.length > 0) {
        yield {
          line: rec.line,
          ok: false,
          issues: [
            ...missing.map((c) => ({
              path: 'header',
              message: `the header has no "${c}" column`,
              received: header!.join(','),
            })),
            ...bad.map((h) => ({ path: 'header', message: `"${h}" is not an attribute path` })),
          ],
        };
        return;
      }
      continue;
    }
    if (rec.error) {
      yield { line: rec.line, ok: false, issues: [{ path: '(record)', message: rec.error }] };
      continue;
    }
    if (rec.fields.length !== header.length) {
      yield {
        line: rec.line,
        ok: false,
        issues: [
          {
            path: '(record)',
            message: `expected ${header.length} fields, found ${rec.fields.length}`,
          },
        ],
      };
      continue;
    }
    const attributes: Record<string, unknown> = {};
    let namespace = '';
    let id = '';
    let testProfile: boolean | undefined;
    for (const [i, name] of header.entries()) {
      const v = rec.fields[i]!;
      if (name === 'namespace') namespace = v.trim();
      else if (name === 'id') id = v.trim();
      else if (name === 'testProfile') {
        if (v !== '') testProfile = v.trim() === 'true';
      } else if (v !== '') setPath(attributes, name.split('.'), cell(v));
    }
    yield check(rec.line, {
      namespace,
      id,
      attributes,
      ...(testProfile !== undefined ? { testProfile } : {}),
    });
  }
}
