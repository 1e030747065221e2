// `waymark expr eval` and `waymark expr check` when they run: the expression compiler and
// evaluator. expr.ts registers the commands and loads this module only then.
import { compileExpression } from '../../expr/index.ts';
import type { ExpectedType, SchemaScope } from '../../expr/index.ts';
import { evaluateJson, mergeScopes, parseScopeInput } from '../../expr/tooling.ts';
import type { ExprCliIo } from './expr.ts';
import { CommandInputError, readDataFile } from '../data-file.ts';

export interface ScopeOptions {
  readonly schema?: string[];
  readonly event?: string[];
  readonly action?: string[];
  readonly profile?: string;
  readonly audience?: string[];
}

async function buildScope(io: ExprCliIo, o: ScopeOptions): Promise<SchemaScope | undefined> {
  const any =
    o.schema?.length || o.event?.length || o.action?.length || o.profile || o.audience?.length;
  if (!any) return undefined;
  let scope: SchemaScope = { events: {}, actions: {} };
  for (const file of o.schema ?? []) {
    const parsed = parseScopeInput(await readDataFile(io, file), file);
    if (!parsed.ok)
      throw new CommandInputError(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    scope = mergeScopes(scope, parsed.scope);
  }
  const named = async (
    list: string[] | undefined,
    flag: string,
  ): Promise<Record<string, Record<string, unknown>>> => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const item of list ?? []) {
      const eq = item.indexOf('=');
      if (eq <= 0)
        throw new CommandInputError(
          `--${flag} expects Name=schema.json, found ${JSON.stringify(item)}`,
        );
      const data = await readDataFile(io, item.slice(eq + 1));
      if (typeof data !== 'object' || data === null || Array.isArray(data))
        throw new CommandInputError(`${item.slice(eq + 1)} is not a JSON Schema object`);
      out[item.slice(0, eq)] = data as Record<string, unknown>;
    }
    return out;
  };
  const profileData = o.profile ? await readDataFile(io, o.profile) : undefined;
  if (
    profileData !== undefined &&
    (typeof profileData !== 'object' || profileData === null || Array.isArray(profileData))
  )
    throw new CommandInputError(`${o.profile} is not a JSON Schema object`);
  return mergeScopes(scope, {
    events: await named(o.event, 'event'),
    actions: await named(o.action, 'action'),
    ...(profileData ? { profile: profileData as Record<string, unknown> } : {}),
    ...(o.audience?.length ? { audiences: o.audience } : {}),
  });
}

export type CheckOptions = ScopeOptions & { expect?: string };
export type EvalOptions = CheckOptions & { context?: string; jsonl?: boolean };

function parseExpect(v: string | undefined): ExpectedType | undefined {
  if (v === undefined) return undefined;
  if (v === 'boolean' || v === 'dateTimeOnly' || v === 'any') return v;
  throw new CommandInputError(
    `--expect must be boolean, dateTimeOnly or any, found ${JSON.stringify(v)}`,
  );
}

function fail(io: ExprCliIo, e: unknown): void {
  io.write(
    JSON.stringify({
      error: { message: e instanceof Error ? e.message : String(e), line: 0, column: 0 },
    }),
  );
  io.setExitCode(1);
}

export async function runEval(
  io: ExprCliIo,
  expression: string | undefined,
  o: EvalOptions,
): Promise<void> {
  try {
    const scope = await buildScope(io, o);
    const expect = parseExpect(o.expect);
    const opts = {
      defaultNow: io.now(),
      ...(scope ? { scope } : {}),
      ...(expect ? { expect } : {}),
    };
    if (o.jsonl) {
      let failed = false;
      let n = 0;
      for await (const raw of io.stdinLines()) {
        n++;
        if (raw.trim() === '') continue;
        let item: unknown;
        try {
          item = JSON.parse(raw);
        } catch (e) {
          failed = true;
          io.write(
            JSON.stringify({
              error: {
                message: `line ${n} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
                line: 0,
                column: 0,
              },
            }),
          );
          continue;
        }
        const rec =
          typeof item === 'object' && item !== null && !Array.isArray(item)
            ? (item as Record<string, unknown>)
            : {};
        const r = evaluateJson(rec['expr'], rec['context'], opts);
        if (!r.ok) failed = true;
        io.write(JSON.stringify(r.ok ? { value: r.value, type: r.type } : { error: r.error }));
      }
      if (failed) io.setExitCode(1);
      return;
    }
    if (expression === undefined)
      throw new CommandInputError(
        'give an expression, or --jsonl to read them from standard input',
      );
    const context = o.context ? await readDataFile(io, o.context) : {};
    const r = evaluateJson(expression, context, opts);
    io.write(JSON.stringify(r.ok ? { value: r.value, type: r.type } : { error: r.error }));
    if (!r.ok) io.setExitCode(1);
  } catch (e) {
    fail(io, e);
  }
}

export async function runCheck(io: ExprCliIo, expression: string, o: CheckOptions): Promise<void> {
  try {
    const scope = (await buildScope(io, o)) ?? { events: {}, actions: {} };
    const expect = parseExpect(o.expect);
    const r = compileExpression(expression, scope, expect ? { expect } : {});
    if (r.ok) {
      io.write(
        JSON.stringify({
          ok: true,
          type: r.expression.type,
          references: r.expression.references,
        }),
      );
    } else {
      io.write(JSON.stringify({ ok: false, diagnostics: r.diagnostics }));
      io.setExitCode(1);
    }
  } catch (e) {
    fail(io, e);
  }
}
