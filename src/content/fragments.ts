// Expression fragments in template text: {{fragment id='ajo:<fragmentId>[/<variant>]' [mode='inline']
// [render=false] [field="value"]...}}. Expansion happens at compile time, before evaluation, so
// variables flow in and out of fragments in source order. A referenced fragment follows the
// library's current version; its editable fields ({{#inline "id" name="Label"}}default{{/inline}},
// shown as {{{id}}}) take the values given at the reference, else their defaults.
import type { Fragment } from '../model/fragment.ts';
import { diag, type ContentDiagnostic, type FieldRef } from './diagnostics.ts';
import type { FieldCompiler } from './field-compiler.ts';
import { visualFragmentHtml } from './document/fragment-html.ts';

export type ExpandResult =
  { ok: true; source: string } | { ok: false; diagnostics: ContentDiagnostic[] };

export interface EditableField {
  readonly id: string;
  readonly label?: string;
  readonly assetType?: string;
  readonly defaultValue: string;
}

const inlineRe = /\{\{#inline\s+"([^"]+)"([^}]*)\}\}([\s\S]*?)\{\{\/inline\}\}/g;

/** The editable fields a fragment's source declares. */
export function editableFields(source: string): EditableField[] {
  const out: EditableField[] = [];
  for (const m of source.matchAll(inlineRe)) {
    const attrs = parseHash(m[2] ?? '');
    out.push({
      id: m[1] ?? '',
      defaultValue: m[3] ?? '',
      ...(attrs['name'] === undefined ? {} : { label: attrs['name'] }),
      ...(attrs['assetType'] === undefined ? {} : { assetType: attrs['assetType'] }),
    });
  }
  return out;
}

/** Removes the declarations and puts each field's value where {{{id}}} or {{id}} shows it. */
export function applyFields(source: string, values: Readonly<Record<string, string>>): string {
  const fields = editableFields(source);
  let out = source.replace(inlineRe, '');
  for (const f of fields) {
    const v = values[f.id] ?? f.defaultValue;
    const id = f.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(
      new RegExp(`\\{\\{\\{\\s*${id}\\s*\\}\\}\\}|\\{\\{\\s*${id}\\s*\\}\\}`, 'g'),
      () => v,
    );
  }
  return out;
}

/** key='v' key="v" key=v pairs (quotes may hold "}}"). */
export function parseHash(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'|([^\s}]+))/g;
  for (const m of s.matchAll(re)) {
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    out[m[1] ?? ''] = raw.replace(/\\(["'\\])/g, '$1');
  }
  return out;
}

/** Finds {{fragment ...}} tags, honouring quotes. */
function findRefs(source: string): Array<{ start: number; end: number; hash: string }> {
  const out: Array<{ start: number; end: number; hash: string }> = [];
  const re = /\{\{\s*fragment\s/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    let i = m.index + m[0].length;
    let quote = '';
    for (; i < source.length; i++) {
      const c = source[i];
      if (quote !== '') {
        if (c === '\\') i++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '}' && source[i + 1] === '}') break;
    }
    if (i >= source.length) break;
    out.push({ start: m.index, end: i + 2, hash: source.slice(m.index + m[0].length, i) });
    re.lastIndex = i + 2;
  }
  return out;
}

/** The ids of the fragments a template source references with {{fragment id=...}} (not expanded). */
export function referencedFragmentIds(source: string): string[] {
  if (!source.includes('fragment')) return [];
  const ids = findRefs(source)
    .map((r) => fragmentIdOf(parseHash(r.hash)['id'] ?? ''))
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

export function fragmentIdOf(ref: string): string {
  return ref.replace(/^ajo:/, '').split('/')[0] ?? '';
}

/** Checks that a fragment can be used; returns a diagnostic when not. */
export function usable(
  f: Fragment | undefined,
  id: string,
  ref: FieldRef,
  fc: FieldCompiler,
  kind: 'expression' | 'visual',
): ContentDiagnostic | undefined {
  if (f === undefined) return diag(ref, 'unknown_fragment', `fragment "${id}" does not exist`);
  if (f.status === 'draft')
    return diag(
      ref,
      'fragment_draft',
      `fragment "${f.name}" (${id}) is a draft: publish it before publishing this message`,
    );
  if (f.status === 'archived')
    return diag(ref, 'fragment_archived', `fragment "${f.name}" (${id}) is archived`);
  if (f.content.type !== kind)
    return diag(
      ref,
      'fragment_type',
      `fragment "${f.name}" is a ${f.content.type} fragment, not ${kind === 'expression' ? 'an expression' : 'a visual'} fragment`,
    );
  if (!fc.useFragment(f.id, f.version, ref))
    return diag(
      ref,
      'limit_fragments',
      `more than ${fc.limits.maxFragments} fragments in one message`,
    );
  return undefined;
}

export function expandFragments(
  source: string,
  ref: FieldRef,
  fc: FieldCompiler,
  depth = 0,
): ExpandResult {
  if (!source.includes('fragment')) return { ok: true, source };
  const refs = findRefs(source);
  if (refs.length === 0) return { ok: true, source };
  const diagnostics: ContentDiagnostic[] = [];
  let out = '';
  let last = 0;
  for (const r of refs) {
    out += source.slice(last, r.start);
    last = r.end;
    const line = source.slice(0, r.start).split('\n').length;
    const hash = parseHash(r.hash);
    const { id: rawId, mode: _mode, render, ...fields } = hash;
    const id = fragmentIdOf(rawId ?? '');
    if (depth >= 2) {
      diagnostics.push(
        diag(ref, 'fragment_nesting', `fragment "${id}" is nested more than one level deep`, line),
      );
      continue;
    }
    const f = fc.library.fragment(id);
    // A visual fragment in HTML: its blocks drawn as HTML (document/fragment-html.ts).
    const bad = usable(f, id, ref, fc, f?.content.type === 'visual' ? 'visual' : 'expression');
    if (bad !== undefined || f === undefined) {
      if (bad !== undefined) diagnostics.push({ ...bad, line });
      continue;
    }
    const fragSource =
      f.content.type === 'visual'
        ? visualFragmentHtml(f.content.blocks, fc, ref)
        : f.content.source;
    const declared = new Set(editableFields(fragSource).map((e) => e.id));
    for (const k of Object.keys(fields)) {
      if (!declared.has(k))
        diagnostics.push(
          diag(ref, 'unknown_field', `fragment "${f.name}" has no editable field "${k}"`, line),
        );
    }
    const inner = expandFragments(applyFields(fragSource, fields), ref, fc, depth + 1);
    if (!inner.ok) {
      diagnostics.push(...inner.diagnostics);
      continue;
    }
    // Errors inside the fragment are reported against the fragment's own lines, once.
    const before = fc.diagnostics.length;
    fc.check(inner.source, {
      field: `${ref.field} > fragment ${f.id} (referenced on line ${line})`,
      ...(ref.block === undefined ? {} : { block: ref.block }),
    });
    if (fc.diagnostics.length > before) {
      diagnostics.push(...fc.diagnostics.splice(before));
      continue;
    }
    out += render === 'false' ? `{{#__silent}}${inner.source}{{/__silent}}` : inner.source;
  }
  out += source.slice(last);
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, source: out };
}
