// The text form of a definition, written in the journey expression language:
//   #{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier} == "blue" and not inAudience("Churned")
// It reads profile attributes and memberships only. A definition that reads the clock (now(),
// inLastDays(…)) is looked at again every `clockRecheckMs`, since its next change cannot be derived.
import type { ErrorIssue } from '../errors.ts';
import type { Node, Step } from '../expr/ast.ts';
import type { Span } from '../expr/errors.ts';
import { lineColumn } from '../expr/errors.ts';
import { compileExpression } from '../expr/index.ts';
import { parse } from '../expr/parser.ts';
import type { RuleNode } from './rule-nodes.ts';
import type { AudienceDependencies, KnownNames, ProfileSnapshot } from './types.ts';

export type TextCompileResult =
  | { readonly ok: true; readonly node: RuleNode; readonly dependsOn: AudienceDependencies }
  | { readonly ok: false; readonly issues: ErrorIssue[] };

/** How often a definition that reads the clock is evaluated again with no new input. */
export const clockRecheckMs = 60_000;

const clockFunctions = new Set([
  'now',
  'nowWithDelta',
  'currentTimeInMillis',
  'inLastDays',
  'inLastHours',
  'inLastMonths',
  'inLastYears',
  'inNextDays',
  'inNextHours',
  'inNextMonths',
  'inNextYears',
]);
const randomFunctions = new Set(['random', 'uuid']);

interface Usage {
  profile: boolean;
  clock: boolean;
  readonly paths: Array<readonly string[]>;
  readonly problems: { span: Span; message: string }[];
}

/**
 * The subtree a profile reference may look into: its first key. Not deeper, because a field step
 * on a list reads that field of every item (`devices.os` is each device's os), which a store's
 * path into objects would not find.
 */
function fieldPrefix(steps: readonly Step[]): readonly string[] {
  const first = steps[0];
  return first?.kind === 'field' ? [first.name] : [];
}

function walkSteps(steps: readonly Step[], u: Usage): void {
  for (const s of steps) if (s.kind === 'method') for (const a of s.args) walk(a, u);
}

function walk(n: Node, u: Usage): void {
  switch (n.kind) {
    case 'literal':
    case 'current':
      return;
    case 'list':
      for (const i of n.items) walk(i, u);
      return;
    case 'ref':
      switch (n.source) {
        case 'profile':
          u.profile = true;
          u.paths.push(fieldPrefix(n.steps));
          break;
        case 'event':
          u.problems.push({
            span: n.span,
            message:
              "an audience cannot read @event{…}: there is no triggering event; use the JSON form's event rules for experience events",
          });
          break;
        case 'action':
          u.problems.push({
            span: n.span,
            message: 'an audience cannot read @action{…} responses',
          });
          break;
        case 'dataSource':
          u.problems.push({
            span: n.span,
            message: `an audience reads profile attributes only (#{ExperiencePlatform.ProfileFieldGroup.profile.…}), not the data source "${n.root.join('.')}"`,
          });
          break;
      }
      walkSteps(n.steps, u);
      if (n.defaultValue !== undefined) walk(n.defaultValue, u);
      for (const p of n.params ?? []) walk(p.value, u);
      return;
    case 'access':
      walk(n.target, u);
      walkSteps(n.steps, u);
      return;
    case 'group':
      walk(n.expr, u);
      return;
    case 'not':
    case 'negate':
    case 'isNull':
    case 'hasNull':
    case 'isType':
      walk(n.operand, u);
      return;
    case 'binary':
      walk(n.left, u);
      walk(n.right, u);
      return;
    case 'call':
      if (clockFunctions.has(n.name)) u.clock = true;
      if (randomFunctions.has(n.name))
        u.problems.push({
          span: n.nameSpan,
          message: `${n.name}() is not allowed in an audience: membership must not depend on chance`,
        });
      for (const a of n.args) walk(a, u);
      return;
    case 'if':
      walk(n.cond, u);
      walk(n.then, u);
      walk(n.else, u);
      return;
    default: {
      const never: never = n;
      throw new Error(`unknown node ${JSON.stringify(never)}`);
    }
  }
}

const at = (source: string, offset: number): string => {
  const { line, column } = lineColumn(source, offset);
  return `definition.text:${line}:${column}`;
};

export function compileTextDefinition(
  text: string,
  known: KnownNames,
  self: string,
): TextCompileResult {
  const parsed = parse(text);
  const toIssues = (
    ds: readonly { message: string; offset: number; expected?: string; found?: string }[],
  ): ErrorIssue[] =>
    ds.map((d) => ({
      path: at(text, d.offset),
      message: d.message,
      ...(d.expected !== undefined ? { expected: d.expected } : {}),
      ...(d.found !== undefined ? { received: d.found } : {}),
    }));
  if (!parsed.ok) return { ok: false, issues: toIssues(parsed.diagnostics) };
  const usage: Usage = { profile: false, clock: false, paths: [], problems: [] };
  walk(parsed.ast, usage);
  const compiled = compileExpression(
    text,
    { events: {}, actions: {}, audiences: known.audiences },
    { expect: 'boolean' },
  );
  const issues = [
    ...usage.problems.map((p) => ({ path: at(text, p.span.offset), message: p.message })),
    ...(compiled.ok ? [] : toIssues(compiled.diagnostics)),
  ];
  if (compiled.ok && compiled.expression.references.audiences.includes(self)) {
    issues.push({
      path: 'definition.text',
      message: `audience "${self}" cannot be defined by its own membership`,
    });
  }
  if (!compiled.ok || issues.length > 0) return { ok: false, issues };
  const expression = compiled.expression;
  const clock = usage.clock;
  const random = (): number => 0;
  const node: RuleNode = {
    timed: clock,
    run: (p: ProfileSnapshot, now, out) => {
      const r = expression.evaluate({
        events: {},
        profile: p.attributes,
        actions: {},
        audiences: p.memberships,
        now,
        random,
      });
      out.t = clock ? now + clockRecheckMs : null;
      // An evaluation error (e.g. a type mismatch on this profile's data) does not qualify.
      return r.ok && r.value === true;
    },
  };
  return {
    ok: true,
    node,
    dependsOn: {
      attributes: usage.profile,
      attributePaths: usage.paths,
      eventTypes: [],
      feedback: false,
      eventHistoryMs: 0,
      feedbackHistoryMs: 0,
      audiences: [...new Set(expression.references.audiences)].sort(),
    },
  };
}
