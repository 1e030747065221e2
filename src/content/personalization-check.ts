// The personalization editor's checks and completions: a template source compiled as a message field
// is (fragments expanded from the library, references checked against the scope of the activity),
// with findings worded as the editor shows them; completions of paths and helper names at a cursor.
// Pure.
import { FieldCompiler } from './field-compiler.ts';
import { defaultLimits } from './limits.ts';
import type { ContentDiagnostic } from './diagnostics.ts';
import type { ContentScope } from './schema-scope.ts';
import type { ContentLibrary } from './types.ts';
import { helperCatalog } from './functions/catalog.ts';
import type { PersonalizationNode } from './personalization-tree.ts';

export interface PersonalizationDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export interface PersonalizationCheck {
  readonly valid: boolean;
  readonly diagnostics: readonly PersonalizationDiagnostic[];
}

/** Compiles `source` as a message field would be and words its findings for the editor. */
export function checkPersonalization(
  source: string,
  library: ContentLibrary,
  scope: ContentScope | undefined,
): PersonalizationCheck {
  const fc = new FieldCompiler(library, defaultLimits, scope);
  fc.field(source, { field: 'source' });
  const diagnostics = fc.diagnostics.map((d) => reword(d, source));
  return { valid: !diagnostics.some((d) => d.severity === 'error'), diagnostics };
}

function reword(d: ContentDiagnostic, source: string): PersonalizationDiagnostic {
  const where = {
    ...(d.line === undefined ? {} : { line: d.line }),
    ...(d.column === undefined ? {} : { column: d.column }),
  };
  const out = (message: string): PersonalizationDiagnostic => ({
    severity: d.severity,
    code: d.code,
    message,
    ...where,
  });
  if (d.code === 'syntax' || d.code === 'compile')
    return out(`Invalid handlebars syntax: ${d.message}`);
  if (d.code === 'unknown_reference') {
    const inSchema = /^"([^"]+)" is not in the schema(.*)$/.exec(d.message);
    if (inSchema)
      return out(
        `Path "${inSchema[1]}" not found${inSchema[2] ? `:${inSchema[2].replace(/^ \((.*)\)$/, ' $1')}` : ''}`,
      );
    const absent = /^no (event|action) "([^"]+)" in this journey \(known: (.*)\)$/.exec(d.message);
    if (absent) {
      const [, kind, name, known] = absent;
      const base = `context.journey.${kind === 'event' ? 'events' : 'actions'}.${name}`;
      const full = fullPath(source, base, d.line);
      return out(
        `Path "${full}" not found: the ${kind} "${name}" is not upstream of this activity (${kind === 'event' ? 'events' : 'actions'} available: ${known})`,
      );
    }
  }
  return out(d.message);
}

/** The whole path starting with `base` on the diagnostic's line (the compiler names the missing step only). */
function fullPath(source: string, base: string, line: number | undefined): string {
  const lines = source.split('\n');
  const text = line !== undefined && lines[line - 1] !== undefined ? lines[line - 1]! : source;
  const at = text.indexOf(base);
  if (at < 0) return base;
  const m = /^[\w$.`]+/.exec(text.slice(at));
  return m ? m[0].replace(/\.$/, '') : base;
}

export interface Completion {
  readonly label: string;
  readonly insert: string;
  readonly detail: string;
}
export interface CompletionResult {
  /** The word before the cursor, from `from` to the cursor, is what `insert` replaces. */
  readonly from: number;
  readonly completions: readonly Completion[];
}

const MAX_COMPLETIONS = 100;

/**
 * Completions at `cursor`: inside `{{`, `{{#`, `{%=` or `{%#if`… tags, the next segment of a path from
 * the tree (profile.…, context.journey.…) or a helper name; nothing outside tags.
 */
export function completePersonalization(
  source: string,
  cursor: number,
  tree: readonly PersonalizationNode[],
): CompletionResult {
  const before = source.slice(0, cursor);
  const word = /[\w$.`@]*$/.exec(before)?.[0] ?? '';
  const from = cursor - word.length;
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (open < 0 || close > open) return { from, completions: [] };
  const tagHead = before.slice(open, from);
  // Right after {{# or {%#: a block helper.
  if (/^\{\{#\s*$|^\{%#\s*$/.test(tagHead)) {
    return {
      from,
      completions: helperCatalog
        .filter((h) => h.block === true && h.name.startsWith(word))
        .map((h) => ({ label: h.name, insert: h.name, detail: h.signature })),
    };
  }
  const paths = pathIndex(tree);
  const dot = word.lastIndexOf('.');
  const completions: Completion[] = [];
  if (dot < 0) {
    const lower = word.toLowerCase();
    for (const root of ['profile', 'context'])
      if (root.startsWith(lower))
        completions.push({
          label: root,
          insert: root,
          detail: root === 'profile' ? 'profile attributes' : 'journey context',
        });
    for (const h of helperCatalog) {
      if (h.block === true || h.name === 'fragment') continue;
      if (h.name.toLowerCase().startsWith(lower))
        completions.push({ label: h.name, insert: h.name, detail: h.signature });
    }
  } else {
    // A block param of an enclosing {{#each list as |item|}} stands for the list's items (item.name).
    const head = word.slice(0, word.indexOf('.'));
    const list = blockParams(before).get(head);
    const alias = list === undefined ? undefined : { name: head, path: list };
    const parent =
      alias === undefined ? word.slice(0, dot) : alias.path + word.slice(head.length, dot);
    const partial = word.slice(dot + 1).toLowerCase();
    for (const [path, detail] of paths) {
      const cut = path.lastIndexOf('.');
      if (cut < 0 || path.slice(0, cut) !== parent) continue;
      const last = path.slice(cut + 1);
      const insert = alias === undefined ? path : alias.name + path.slice(alias.path.length);
      if (last.toLowerCase().startsWith(partial)) completions.push({ label: last, insert, detail });
    }
  }
  return { from, completions: completions.slice(0, MAX_COMPLETIONS) };
}

/** Block params of the #each blocks still open at the end of `before`, by name -> the list's path. */
function blockParams(before: string): Map<string, string> {
  const open: Array<{ name: string; path: string } | null> = [];
  for (const m of before.matchAll(
    /\{\{#each\s+([\w$.`]+)(?:\s+as\s+\|\s*([\w$]+)[^|]*\|)?[^}]*\}\}|\{\{\/each\s*\}\}/g,
  )) {
    if (m[0].startsWith('{{/')) open.pop();
    else open.push(m[2] === undefined ? null : { name: m[2], path: m[1]! });
  }
  return new Map(
    open
      .filter((x): x is { name: string; path: string } => x !== null)
      .map((x) => [x.name, x.path]),
  );
}

/** Every dotted path of the tree and its ancestors, with a short description (type and help). */
function pathIndex(tree: readonly PersonalizationNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (n: PersonalizationNode): void => {
    if (n.path !== undefined && /^[\w$`]+(\.[\w$`]+)*$/.test(n.path)) {
      const parts = n.path.split('.');
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('.');
        if (!out.has(prefix)) out.set(prefix, 'object');
      }
      out.set(n.path, [n.type ?? 'any', n.help].filter(Boolean).join(' · '));
    }
    for (const c of n.children ?? []) visit(c);
  };
  for (const n of tree) visit(n);
  return out;
}
