// Publish-time checks on a parsed Handlebars template: known helpers with the right number of
// arguments, no partials or decorators, no forbidden path segments, bounded nesting, and paths rooted
// in the namespaces a message can read. Every finding names its line.
import type Handlebars from 'handlebars';
import { allFunctions } from './functions/index.ts';
import { blockHelpers, forbiddenSegments, specialHelpers } from './engine.ts';
import { diag, type ContentDiagnostic, type FieldRef } from './diagnostics.ts';
import type { ContentLimits } from './limits.ts';

type Node = hbs.AST.Node;
const dataNames = new Set(['root', 'index', 'key', 'first', 'last']);

export interface CheckOptions {
  readonly limits: ContentLimits;
  /** Root names a template may read besides block params and let variables. */
  readonly roots: ReadonlySet<string>;
  /** Filled with the names of the functions the template calls. */
  readonly used?: Set<string>;
}

export function checkTemplateAst(program: hbs.AST.Program, ref: FieldRef, opts: CheckOptions): ContentDiagnostic[] {
  const out: ContentDiagnostic[] = [];
  const at = (n: Node): [number | undefined, number | undefined] => [n.loc?.start.line, n.loc === undefined ? undefined : n.loc.start.column + 1];
  const err = (n: Node, code: string, message: string): void => { out.push(diag(ref, code, message, ...at(n))); };

  const checkPath = (p: hbs.AST.PathExpression, params: ReadonlySet<string>): void => {
    for (const part of p.parts) {
      if (forbiddenSegments.has(part)) err(p, 'forbidden_path', `"${p.original}" reads "${part}", which is not allowed`);
    }
    if (p.data) {
      const head = p.parts[0] ?? '';
      if (!dataNames.has(head)) err(p, 'unknown_data', `unknown data variable "@${head}"`);
      return;
    }
    if (p.depth > 0 || p.parts.length === 0 || /^this\b/.test(p.original)) return;
    const head = p.parts[0] ?? '';
    if (params.has(head) || opts.roots.has(head)) return;
  };

  const checkCall = (n: Node, path: hbs.AST.PathExpression | hbs.AST.Literal, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, isBlock: boolean, scope: ReadonlySet<string>): void => {
    const hasArgs = params.length > 0 || (hash?.pairs.length ?? 0) > 0;
    if (path.type !== 'PathExpression') { if (hasArgs || isBlock) err(n, 'bad_helper', 'a literal cannot be called'); return; }
    const p = path as hbs.AST.PathExpression;
    const name = p.original;
    if (!hasArgs && !isBlock) {
      const bare = allFunctions[name];
      if (bare !== undefined && p.parts.length === 1 && !scope.has(name) && !/^\.|this\b/.test(p.original)) {
        // {{count}} calls a function only if it needs no arguments; otherwise it reads a variable or
        // field of that name (Handlebars would call the helper): make the lookup explicit.
        if (bare.minArgs === 0) opts.used?.add(name);
        else (p as { original: string }).original = `this.${name}`;
      }
      checkPath(p, scope);
      return;
    }
    const f = allFunctions[name];
    if (f !== undefined) opts.used?.add(name);
    if (f !== undefined) {
      if (isBlock) err(n, 'not_block', `"${name}" is a function, not a block helper`);
      else if (params.length < f.minArgs || params.length > f.maxArgs) {
        err(n, 'arity', `${name} takes ${f.minArgs === f.maxArgs ? f.minArgs : `${f.minArgs} to ${f.maxArgs}`} argument${f.maxArgs === 1 ? '' : 's'}, got ${params.length}`);
      }
    } else if (!blockHelpers.has(name) && !specialHelpers.has(name)) {
      err(n, 'unknown_helper', isBlock ? `unknown block helper "${name}"` : `unknown function "${name}"`);
    }
    for (const a of params) expr(a, scope);
    for (const pair of hash?.pairs ?? []) expr(pair.value, scope);
  };

  const expr = (e: hbs.AST.Expression, scope: ReadonlySet<string>): void => {
    if (e.type === 'PathExpression') checkPath(e as hbs.AST.PathExpression, scope);
    else if (e.type === 'SubExpression') {
      const s = e as hbs.AST.SubExpression;
      checkCall(s, s.path, s.params, s.hash, false, scope);
    }
  };

  const walk = (prog: hbs.AST.Program | undefined, depth: number, scope: ReadonlySet<string>): void => {
    if (prog === undefined) return;
    for (const n of prog.body) {
      switch (n.type) {
        case 'MustacheStatement': {
          const m = n as hbs.AST.MustacheStatement;
          checkCall(m, m.path, m.params, m.hash, false, scope);
          break;
        }
        case 'BlockStatement': {
          const b = n as hbs.AST.BlockStatement;
          if (depth + 1 > opts.limits.maxNesting) { err(b, 'limit_nesting', `blocks are nested deeper than the limit of ${opts.limits.maxNesting}`); break; }
          checkCall(b, b.path, b.params, b.hash, true, scope);
          const inner = new Set(scope);
          for (const bp of b.program?.blockParams ?? []) inner.add(bp);
          walk(b.program, depth + 1, inner);
          walk(b.inverse, depth + 1, scope);
          break;
        }
        case 'PartialStatement': case 'PartialBlockStatement':
          err(n, 'partial', 'partials ({{> name}}) are not supported: use fragments');
          break;
        case 'DecoratorBlock': case 'Decorator':
          err(n, 'decorator', 'decorators ({{* }}) are not supported; declare editable fields with {{#inline "id"}} in fragments');
          break;
        default:
          break;
      }
    }
  };
  walk(program, 0, new Set());
  return out;
}

export type { Handlebars };
