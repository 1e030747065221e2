// Translates the `{% %}` form into Handlebars source, tag by tag and line for line, so that the
// compiled form is one engine and diagnostics keep their line numbers:
//   {%= e %} -> {{__value e}}   {%#if e%} -> {{#if e}}   {%else if e%} -> {{else if e}}
//   {% let x = e %} -> {{__let "x" e}}   and `x` read later -> @root.x
import type { PqlExpr } from './ast.ts';
import { Parser, PqlSyntaxError, lex } from './parser.ts';
import { diag, type ContentDiagnostic, type FieldRef } from '../diagnostics.ts';
import { allFunctions } from '../functions/index.ts';

export type TranslateResult =
  | { ok: true; source: string; lets: readonly string[] }
  | { ok: false; diagnostics: ContentDiagnostic[] };

const opHelper: Readonly<Record<string, string>> = {
  fallback: '__fallback',
  or: '__or',
  and: '__and',
  eq: '__eq',
  ne: '__ne',
  lt: '__lt',
  le: '__le',
  gt: '__gt',
  ge: '__ge',
  add: '__add',
  sub: '__sub',
  mul: '__mul',
  div: '__div',
  mod: '__mod',
};
const reservedLets = new Set([
  'profile',
  'context',
  'this',
  'offers',
  'true',
  'false',
  'null',
  'undefined',
]);

function hbsString(s: string): string {
  if (!s.includes('"')) return `"${s}"`;
  if (!s.includes("'")) return `'${s}'`;
  return `"${s.replace(/"/g, '\\"')}"`;
}

function segment(s: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(s) ? s : `[${s}]`;
}

export class Emitter {
  constructor(
    private readonly lets: ReadonlySet<string>,
    private readonly params: ReadonlySet<string>,
  ) {}

  /** As a Handlebars argument: a path, a literal or a (subexpression). */
  arg(e: PqlExpr): string {
    switch (e.kind) {
      case 'literal':
        if (e.value === null) return 'null';
        if (typeof e.value === 'string') return hbsString(e.value);
        if (typeof e.value === 'number') return Number.isFinite(e.value) ? String(e.value) : 'null';
        return String(e.value);
      case 'path': {
        if (e.data) return `@${e.segments.map(segment).join('.')}`;
        const head = e.segments[0] ?? '';
        const prefix = this.lets.has(head) && !this.params.has(head) ? '@root.' : '';
        return prefix + e.segments.map(segment).join('.');
      }
      default:
        return `(${this.call(e)})`;
    }
  }

  /** A function argument: multi-segment paths read through arrays (PQL projection). */
  projected(e: PqlExpr): string {
    if (e.kind !== 'path' || e.data || e.segments.length < 2) return this.arg(e);
    const head = this.arg({ kind: 'path', segments: [e.segments[0] ?? ''], data: false });
    return `(__project ${head} ${hbsString(e.segments.slice(1).join('.'))})`;
  }

  /** As the inside of a mustache: `helper args`. */
  call(e: PqlExpr): string {
    switch (e.kind) {
      case 'literal':
      case 'path':
        return `__value ${this.arg(e)}`;
      case 'array':
        return ['__array', ...e.items.map((x) => this.arg(x))].join(' ');
      case 'call': {
        const f = allFunctions[e.name];
        if (f === undefined || e.name.startsWith('__'))
          throw new PqlSyntaxError(`unknown function "${e.name}"`, 0);
        if (e.args.length < f.minArgs || e.args.length > f.maxArgs) {
          throw new PqlSyntaxError(
            `${e.name} takes ${f.minArgs === f.maxArgs ? f.minArgs : `${f.minArgs} to ${f.maxArgs}`} argument${f.maxArgs === 1 ? '' : 's'}, got ${e.args.length}`,
            0,
          );
        }
        return [e.name, ...e.args.map((x) => this.projected(x))].join(' ');
      }
      case 'member':
        return `lookup ${this.arg(e.object)} ${hbsString(e.name)}`;
      case 'unary':
        return `${e.op === 'not' ? '__not' : '__neg'} ${this.arg(e.operand)}`;
      case 'binary':
        return `${opHelper[e.op] ?? '__value'} ${this.arg(e.left)} ${this.arg(e.right)}`;
    }
  }
}

interface Tag {
  readonly start: number;
  readonly end: number;
  readonly body: string;
}

function findTags(source: string): Tag[] | { error: string; at: number } {
  const tags: Tag[] = [];
  let i = 0;
  for (;;) {
    const s = source.indexOf('{%', i);
    if (s < 0) return tags;
    const e = source.indexOf('%}', s + 2);
    if (e < 0) return { error: 'unclosed {% tag', at: s };
    tags.push({ start: s, end: e + 2, body: source.slice(s + 2, e) });
    i = e + 2;
  }
}

function lineCol(source: string, offset: number): [number, number] {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return [line, offset - before.lastIndexOf('\n')];
}

export function translatePql(source: string, ref: FieldRef): TranslateResult {
  const found = findTags(source);
  if (!Array.isArray(found))
    return {
      ok: false,
      diagnostics: [diag(ref, 'syntax', found.error, ...lineCol(source, found.at))],
    };
  const lets = new Set<string>();
  for (const t of found) {
    const m = /^\s*let\s+([A-Za-z_]\w*)\s*=/.exec(t.body);
    if (m?.[1] !== undefined) lets.add(m[1]);
  }
  const params = new Set<string>();
  for (const m of source.matchAll(/as\s*\|\s*([A-Za-z_]\w*)(?:\s+([A-Za-z_]\w*))?\s*\|/g)) {
    if (m[1] !== undefined) params.add(m[1]);
    if (m[2] !== undefined) params.add(m[2]);
  }
  const emitter = new Emitter(lets, params);
  const diagnostics: ContentDiagnostic[] = [];
  let out = '';
  let last = 0;
  for (const tag of found) {
    out += source.slice(last, tag.start);
    last = tag.end;
    const newlines = '\n'.repeat((tag.body.match(/\n/g) ?? []).length);
    try {
      out += translateTag(tag.body, emitter, lets) + newlines;
    } catch (e) {
      const at = e instanceof PqlSyntaxError ? tag.start + 2 + e.offset : tag.start;
      diagnostics.push(
        diag(
          ref,
          'syntax',
          `{%${tag.body.trim().slice(0, 40)}%}: ${e instanceof Error ? e.message : String(e)}`,
          ...lineCol(source, at),
        ),
      );
    }
  }
  out += source.slice(last);
  for (const name of lets) {
    if (reservedLets.has(name))
      diagnostics.push(diag(ref, 'reserved_name', `"${name}" cannot be a variable name`));
  }
  return diagnostics.length > 0
    ? { ok: false, diagnostics }
    : { ok: true, source: out, lets: [...lets] };
}

/** Parses `src`, found at `base` in the tag body; errors carry offsets into the body. */
function parseAt(src: string, base: number): PqlExpr {
  try {
    const p = new Parser(lex(src));
    const e = p.expr();
    p.end();
    return e;
  } catch (e) {
    if (e instanceof PqlSyntaxError) throw new PqlSyntaxError(e.message, base + e.offset);
    throw e;
  }
}

function translateTag(body: string, emitter: Emitter, _lets: ReadonlySet<string>): string {
  const lead = body.length - body.trimStart().length;
  const trimmed = body.trim();
  /** Errors found while emitting (unknown function, arity) point at the start of the expression. */
  const at = (e: unknown, base: number, src: string): never => {
    if (e instanceof PqlSyntaxError && e.offset === 0)
      throw new PqlSyntaxError(e.message, base + src.length - src.trimStart().length);
    throw e;
  };
  if (trimmed.startsWith('--') || trimmed.startsWith('!')) return '';
  if (trimmed.startsWith('=')) {
    const e = parseAt(trimmed.slice(1), lead + 1);
    try {
      return `{{${emitter.call(e)}}}`;
    } catch (x) {
      return at(x, lead + 1, trimmed.slice(1));
    }
  }
  const close = /^\/(if|unless|each|with)$/.exec(trimmed);
  if (close !== null) return `{{/${close[1] ?? ''}}}`;
  // The block form of Adobe's personalization recipes: {% if %} … {% elseif %} … {% else %} … {% endif %}.
  if (trimmed === 'endif') return '{{/if}}';
  if (trimmed === 'else') return '{{else}}';
  const open = /^(#if|if|#unless|else\s*if|#each|#with)\b([\s\S]*)$/.exec(trimmed);
  if (open !== null) {
    const word = open[1] ?? '';
    const kw = word === 'if' ? '#if' : /^else\s*if$/.test(word) ? 'else if' : word;
    let rest = open[2] ?? '';
    let alias = '';
    const as = /\s+as\s*\|\s*([A-Za-z_]\w*)(\s+[A-Za-z_]\w*)?\s*\|\s*$/.exec(rest);
    if (as !== null) {
      alias = ` as |${as[1] ?? ''}${as[2] ?? ''}|`;
      rest = rest.slice(0, as.index);
    }
    const base = lead + (open[1] ?? '').length;
    const e = parseAt(rest, base);
    try {
      return `{{${kw} ${emitter.arg(e)}${alias}}}`;
    } catch (x) {
      return at(x, base, rest);
    }
  }
  const letm = /^let\s+([A-Za-z_]\w*)\s*=([\s\S]*)$/.exec(trimmed);
  if (letm !== null) {
    const base = lead + trimmed.indexOf('=') + 1;
    const e = parseAt(letm[2] ?? '', base);
    try {
      return `{{__let "${letm[1] ?? ''}" ${emitter.arg(e)}}}`;
    } catch (x) {
      return at(x, base, letm[2] ?? '');
    }
  }
  throw new PqlSyntaxError('unknown tag', lead);
}
