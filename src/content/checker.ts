// Publish-time checks on a parsed Handlebars template: known helpers with the right number of
// arguments, no partials or decorators, no forbidden path segments, bounded nesting, and paths rooted
// in the namespaces a message can read. Every finding names its line.
import type Handlebars from 'handlebars';
import { allFunctions } from './functions/index.ts';
import { blockHelpers, forbiddenSegments, specialHelpers } from './engine.ts';
import { diag, type ContentDiagnostic, type FieldRef } from './diagnostics.ts';
import type { ContentLimits } from './limits.ts';
import { checkRooted, itemsOf, resolve, type ContentScope } from './schema-scope.ts';
import { isRecord } from './functions/types.ts';

type Node = hbs.AST.Node;
const dataNames = new Set(['root', 'index', 'key', 'first', 'last']);
const scalarTypes = new Set(['string', 'number', 'integer', 'boolean']);

export interface CheckOptions {
  readonly limits: ContentLimits;
  /** Root names a template may read besides block params and let variables. */
  readonly roots: ReadonlySet<string>;
  /** Filled with the names of the functions the template calls. */
  readonly used?: Set<string>;
  /** Schemas to check references against (publish-time checks). */
  readonly scope?: ContentScope;
}

/** Block params in scope, with the schema of what they hold when known. */
type Params = ReadonlyMap<string, unknown>;

export function checkTemplateAst(
  program: hbs.AST.Program,
  ref: FieldRef,
  opts: CheckOptions,
): ContentDiagnostic[] {
  const out: ContentDiagnostic[] = [];
  const at = (n: Node): [number | undefined, number | undefined] => [
    n.loc?.start.line,
    n.loc === undefined ? undefined : n.loc.start.column + 1,
  ];
  const err = (n: Node, code: string, message: string): void => {
    out.push(diag(ref, code, message, ...at(n)));
  };

  const checkPath = (p: hbs.AST.PathExpression, params: Params, contextual: boolean): void => {
    for (const part of p.parts) {
      if (forbiddenSegments.has(part))
        err(p, 'forbidden_path', `"${p.original}" reads "${part}", which is not allowed`);
    }
    let parts: readonly string[] = p.parts;
    if (p.data) {
      const head = p.parts[0] ?? '';
      if (!dataNames.has(head)) {
        err(p, 'unknown_data', `unknown data variable "@${head}"`);
        return;
      }
      if (head !== 'root' || p.parts.length < 2) return;
      parts = p.parts.slice(1);
    } else if (p.depth > 0 || p.parts.length === 0 || /^this\b/.test(p.original) || contextual) {
      return;
    }
    const head = parts[0] ?? '';
    if (!p.data && params.has(head)) {
      const schema = params.get(head);
      if (schema !== undefined && opts.scope !== undefined) {
        const r = resolve(schema, parts.slice(1), head);
        if (r.kind === 'missing')
          out.push(
            diag(
              ref,
              'unknown_reference',
              `"${r.at}" is not in the schema (known: ${r.known.slice(0, 12).join(', ')})`,
              ...at(p),
            ),
          );
      }
      return;
    }
    if (!opts.roots.has(head)) {
      out.push(
        diag(
          ref,
          'unknown_root',
          `"${parts.join('.')}" is not under profile, context or a variable: it renders empty`,
          ...at(p),
          'warning',
        ),
      );
      return;
    }
    if (opts.scope !== undefined) {
      const r = checkRooted(opts.scope, parts);
      if (!r.ok) out.push(diag(ref, 'unknown_reference', r.message, ...at(p)));
    }
  };

  /** The schema a path points to (for typing #each block params), when the scope knows it. */
  const schemaOf = (e: hbs.AST.Expression | undefined, params: Params): unknown => {
    if (opts.scope === undefined || e === undefined || e.type !== 'PathExpression')
      return undefined;
    const p = e as hbs.AST.PathExpression;
    if (p.data || p.depth > 0) return undefined;
    const head = p.parts[0] ?? '';
    if (params.has(head)) {
      const r = resolve(params.get(head), p.parts.slice(1), head);
      return r.kind === 'schema' ? r.schema : undefined;
    }
    const r = checkRooted(opts.scope, p.parts);
    return r.ok ? r.schema : undefined;
  };

  const checkCall = (
    n: Node,
    path: hbs.AST.PathExpression | hbs.AST.Literal,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    isBlock: boolean,
    scope: Params,
    contextual: boolean,
  ): void => {
    const hasArgs = params.length > 0 || (hash?.pairs.length ?? 0) > 0;
    if (path.type !== 'PathExpression') {
      if (hasArgs || isBlock) err(n, 'bad_helper', 'a literal cannot be called');
      return;
    }
    const p = path as hbs.AST.PathExpression;
    const name = p.original;
    if (!hasArgs && !isBlock) {
      const bare = allFunctions[name];
      if (
        bare !== undefined &&
        p.parts.length === 1 &&
        !scope.has(name) &&
        !/^\.|this\b/.test(p.original)
      ) {
        // {{count}} calls a function only if it needs no arguments; otherwise it reads a variable or
        // field of that name (Handlebars would call the helper): make the lookup explicit.
        if (bare.minArgs === 0) opts.used?.add(name);
        else (p as { original: string }).original = `this.${name}`;
      }
      checkPath(p, scope, contextual);
      return;
    }
    const f = allFunctions[name];
    if (f !== undefined) opts.used?.add(name);
    if (f !== undefined) {
      if (isBlock) err(n, 'not_block', `"${name}" is a function, not a block helper`);
      else if (params.length < f.minArgs || params.length > f.maxArgs) {
        err(
          n,
          'arity',
          `${name} takes ${f.minArgs === f.maxArgs ? f.minArgs : `${f.minArgs} to ${f.maxArgs}`} argument${f.maxArgs === 1 ? '' : 's'}, got ${params.length}`,
        );
      }
    } else if (!blockHelpers.has(name) && !specialHelpers.has(name)) {
      err(
        n,
        'unknown_helper',
        isBlock ? `unknown block helper "${name}"` : `unknown function "${name}"`,
      );
    }
    if (
      name === '__project' &&
      params[0]?.type === 'PathExpression' &&
      params[1]?.type === 'StringLiteral'
    ) {
      // A function argument read through arrays: check the whole path it stands for.
      const head = params[0] as hbs.AST.PathExpression;
      const rest = (params[1] as hbs.AST.StringLiteral).value.split('.');
      const whole = {
        ...head,
        parts: [...head.parts, ...rest],
        original: `${head.original}.${rest.join('.')}`,
        loc: n.loc,
      } as hbs.AST.PathExpression;
      checkPath(whole, scope, contextual);
      return;
    }
    for (const a of params) expr(a, scope, contextual);
    for (const pair of hash?.pairs ?? []) expr(pair.value, scope, contextual);
  };

  const expr = (e: hbs.AST.Expression, scope: Params, contextual: boolean): void => {
    if (e.type === 'PathExpression') checkPath(e as hbs.AST.PathExpression, scope, contextual);
    else if (e.type === 'SubExpression') {
      const s = e as hbs.AST.SubExpression;
      checkCall(s, s.path, s.params, s.hash, false, scope, contextual);
    }
  };

  const walk = (
    prog: hbs.AST.Program | undefined,
    depth: number,
    scope: Params,
    contextual: boolean,
  ): void => {
    if (prog === undefined) return;
    for (const n of prog.body) {
      switch (n.type) {
        case 'MustacheStatement': {
          const m = n as hbs.AST.MustacheStatement;
          checkCall(m, m.path, m.params, m.hash, false, scope, contextual);
          break;
        }
        case 'BlockStatement': {
          const b = n as hbs.AST.BlockStatement;
          if (depth + 1 > opts.limits.maxNesting) {
            err(
              b,
              'limit_nesting',
              `blocks are nested deeper than the limit of ${opts.limits.maxNesting}`,
            );
            break;
          }
          checkCall(b, b.path, b.params, b.hash, true, scope, contextual);
          const name =
            b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
          const bps = b.program?.blockParams ?? [];
          const inner = new Map(scope);
          const target = schemaOf(b.params[0], scope);
          // #each over a value the schema types as a scalar repeats nothing: say so at publish.
          const found =
            isRecord(target) && typeof target['type'] === 'string' ? target['type'] : undefined;
          if (name === 'each' && found !== undefined && scalarTypes.has(found)) {
            err(
              b,
              'type_mismatch',
              `Type mismatch for "${(b.params[0] as hbs.AST.PathExpression).original}". Expected array. Found ${found}.`,
            );
          }
          bps.forEach((bp, i) =>
            inner.set(bp, i > 0 ? undefined : name === 'each' ? itemsOf(target) : target),
          );
          // #each and #with without block params change the context: bare names are then the item's.
          const changes = (name === 'each' || name === 'with') && bps.length === 0;
          walk(b.program, depth + 1, inner, contextual || changes);
          walk(b.inverse, depth + 1, scope, contextual);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
          err(n, 'partial', 'partials ({{> name}}) are not supported: use fragments');
          break;
        case 'DecoratorBlock':
        case 'Decorator':
          err(
            n,
            'decorator',
            'decorators ({{* }}) are not supported; declare editable fields with {{#inline "id"}} in fragments',
          );
          break;
        default:
          break;
      }
    }
  };
  walk(program, 0, new Map(), false);
  return out;
}

export type { Handlebars };
