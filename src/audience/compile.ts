// compileAudience: validates an audience (shape, operator values, known names, cycles) and turns its
// definition into a CompiledAudience that evaluates a profile snapshot in microseconds.
import type { ZodError } from 'zod';
import type { ErrorIssue } from '../errors.ts';
import type { Audience, AudienceRule, TimeWindow } from '../model/audience.ts';
import {
  audienceRuleSchema,
  audienceSchema,
  audienceTextSchema,
  windowMs,
} from '../model/audience.ts';
import { checkAttributeRule, compileAttributeRule, describe } from './attribute.ts';
import { findCycle } from './graph.ts';
import { splitPath } from './path.ts';
import type { Out, RuleNode } from './rule-nodes.ts';
import {
  andNode,
  attributeNode,
  audienceRefNode,
  constNode,
  eventNode,
  feedbackNode,
  notNode,
  orNode,
} from './rule-nodes.ts';
import { compileTextDefinition } from './text.ts';
import type {
  AudienceDependencies,
  CompileResult,
  CompiledAudience,
  Evaluation,
  KnownNames,
  ProfileSnapshot,
} from './types.ts';

export function formatPath(parts: readonly PropertyKey[], base = ''): string {
  let s = base;
  for (const p of parts)
    s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s;
}

export function zodIssues(error: ZodError, base = ''): ErrorIssue[] {
  return error.issues.map((i) => {
    const issue: { path: string; message: string; expected?: string; received?: string } = {
      path: formatPath(i.path, base) || '(root)',
      message: i.message,
    };
    if ('expected' in i && typeof i.expected === 'string') issue.expected = i.expected;
    if ('input' in i && i.input !== undefined) {
      // A discriminator error carries the whole object: show the discriminator's value instead.
      const last = i.path[i.path.length - 1];
      const input: unknown = i.input;
      const own =
        i.code === 'invalid_union' &&
        typeof last === 'string' &&
        typeof input === 'object' &&
        input !== null &&
        Object.hasOwn(input, last);
      issue.received = describe(own ? (input as Record<string, unknown>)[last] : input);
    }
    return issue;
  });
}

const widen = (current: number | null, within: TimeWindow | undefined): number | null =>
  current === null || within === undefined ? null : Math.max(current, windowMs(within));

export const MAX_DEPTH = 32;

/** How deeply and/or/not nest in untrusted input, measured without recursion (before the schema recurses). */
function nestingDepth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) max = depth;
    if (max > MAX_DEPTH) return max;
    const o = node as Record<string, unknown>;
    if (Object.hasOwn(o, 'rule')) stack.push([o['rule'], depth + 1]);
    if (Object.hasOwn(o, 'rules') && Array.isArray(o['rules']))
      for (const r of o['rules'] as unknown[]) stack.push([r, depth + 1]);
  }
  return max;
}

interface Collector {
  readonly issues: ErrorIssue[];
  readonly known: KnownNames;
  readonly self: string;
  attributes: boolean;
  readonly attributePaths: Array<readonly string[]>;
  feedback: boolean;
  /** The longest window read (ms); null: the whole history; 0: none. */
  eventHistoryMs: number | null;
  feedbackHistoryMs: number | null;
  readonly eventTypes: Set<string>;
  readonly audiences: Set<string>;
}

function compileRule(rule: AudienceRule, at: string, c: Collector): RuleNode {
  switch (rule.kind) {
    case 'and':
      return andNode(rule.rules.map((r, i) => compileRule(r, `${at}.rules[${i}]`, c)));
    case 'or':
      return orNode(rule.rules.map((r, i) => compileRule(r, `${at}.rules[${i}]`, c)));
    case 'not':
      return notNode(compileRule(rule.rule, `${at}.rule`, c));
    case 'attribute': {
      const before = c.issues.length;
      checkAttributeRule(rule, at, c.issues);
      c.attributes = true;
      c.attributePaths.push(splitPath(rule.path));
      return c.issues.length > before
        ? constNode(false)
        : attributeNode(compileAttributeRule(rule));
    }
    case 'event': {
      const known = c.known.eventTypes;
      if (known !== undefined && !known.includes(rule.eventType)) {
        c.issues.push({
          path: `${at}.eventType`,
          message: `unknown event type "${rule.eventType}"`,
          expected: known.length > 0 ? `one of ${known.join(', ')}` : 'a defined event type',
          received: describe(rule.eventType),
        });
      }
      const where = (rule.where ?? []).map((w, i) => {
        const before = c.issues.length;
        checkAttributeRule(w, `${at}.where[${i}]`, c.issues);
        return c.issues.length > before ? () => false : compileAttributeRule(w);
      });
      c.eventTypes.add(rule.eventType);
      c.eventHistoryMs = widen(c.eventHistoryMs, rule.within);
      return eventNode(rule, where);
    }
    case 'feedback':
      c.feedback = true;
      c.feedbackHistoryMs = widen(c.feedbackHistoryMs, rule.within);
      return feedbackNode(rule);
    case 'audience':
      if (rule.name === c.self) {
        c.issues.push({
          path: `${at}.name`,
          message: `audience "${c.self}" cannot be defined by its own membership`,
          received: describe(rule.name),
        });
      } else if (!c.known.audiences.includes(rule.name)) {
        c.issues.push({
          path: `${at}.name`,
          message: `unknown audience "${rule.name}"`,
          expected: 'the name of an audience of this sandbox',
          received: describe(rule.name),
        });
      }
      c.audiences.add(rule.name);
      return audienceRefNode(rule);
    default: {
      const never: never = rule;
      throw new Error(`unknown rule kind ${JSON.stringify(never)}`);
    }
  }
}

export function compileAudience(input: Audience, known: KnownNames): CompileResult {
  const { definition, ...rest } = input as Audience & Record<string, unknown>;
  const parsed = audienceSchema.omit({ definition: true }).safeParse(rest, { reportInput: true });
  if (!parsed.success)
    return { ok: false, issues: [...zodIssues(parsed.error), ...shapeIssues(definition)] };
  const audience = parsed.data;
  const c: Collector = {
    issues: [],
    known,
    self: audience.name,
    attributes: false,
    attributePaths: [],
    feedback: false,
    eventHistoryMs: 0,
    feedbackHistoryMs: 0,
    eventTypes: new Set(),
    audiences: new Set(),
  };

  let node: RuleNode | undefined;
  if (definition === undefined) {
    if (audience.origin !== 'uploaded')
      c.issues.push({
        path: 'definition',
        message: `a ${audience.origin} audience needs a definition`,
        expected: 'a rule ({ kind: … }) or { text: … }',
        received: 'nothing',
      });
  } else if (audience.origin === 'uploaded') {
    c.issues.push({
      path: 'definition',
      message: 'an uploaded audience has no definition: its members come from files',
      expected: 'nothing',
      received: describe(definition),
    });
  } else if (
    typeof definition === 'object' &&
    definition !== null &&
    'text' in definition &&
    !('kind' in definition)
  ) {
    const text = audienceTextSchema.safeParse(definition, { reportInput: true });
    if (!text.success) return { ok: false, issues: zodIssues(text.error, 'definition') };
    const compiled = compileTextDefinition(text.data.text, known, audience.name);
    if (!compiled.ok) return { ok: false, issues: compiled.issues };
    node = compiled.node;
    c.attributes = compiled.dependsOn.attributes;
    c.attributePaths.push(...compiled.dependsOn.attributePaths);
    for (const a of compiled.dependsOn.audiences) c.audiences.add(a);
    for (const e of compiled.dependsOn.eventTypes) c.eventTypes.add(e);
  } else if (nestingDepth(definition) > MAX_DEPTH) {
    return {
      ok: false,
      issues: [
        {
          path: 'definition',
          message: `rules are nested more than ${MAX_DEPTH} levels deep`,
          expected: `at most ${MAX_DEPTH} levels of and/or/not`,
        },
      ],
    };
  } else {
    const rule = audienceRuleSchema.safeParse(definition, { reportInput: true });
    if (!rule.success) return { ok: false, issues: zodIssues(rule.error, 'definition') };
    node = compileRule(rule.data, 'definition', c);
  }
  if (c.issues.length === 0 && c.audiences.size > 0) {
    const graph: Record<string, readonly string[]> = {
      ...known.dependencies,
      [audience.name]: [...c.audiences],
    };
    const cycle = findCycle(graph, audience.name);
    if (cycle !== null)
      c.issues.push({
        path: 'definition',
        message: `audience dependency cycle: ${cycle.map((n) => `"${n}"`).join(' → ')}`,
        expected: 'audiences of audiences without cycles',
      });
  }
  if (c.issues.length > 0) return { ok: false, issues: c.issues };

  const dependsOn: AudienceDependencies = Object.freeze({
    attributes: c.attributes,
    attributePaths: Object.freeze(c.attributePaths),
    eventTypes: Object.freeze([...c.eventTypes].sort()),
    feedback: c.feedback,
    eventHistoryMs: c.eventHistoryMs,
    feedbackHistoryMs: c.feedbackHistoryMs,
    audiences: Object.freeze([...c.audiences].sort()),
  });
  return { ok: true, audience: makeCompiled(audience.name, audience.origin, dependsOn, node) };
}

/** Shape problems of a definition, reported alongside those of the other fields. */
function shapeIssues(definition: unknown): ErrorIssue[] {
  if (definition === undefined) return [];
  if (
    typeof definition === 'object' &&
    definition !== null &&
    'text' in definition &&
    !('kind' in definition)
  ) {
    const r = audienceTextSchema.safeParse(definition, { reportInput: true });
    return r.success ? [] : zodIssues(r.error, 'definition');
  }
  if (nestingDepth(definition) > MAX_DEPTH) return [];
  const r = audienceRuleSchema.safeParse(definition, { reportInput: true });
  return r.success ? [] : zodIssues(r.error, 'definition');
}

function makeCompiled(
  name: string,
  origin: Audience['origin'],
  dependsOn: AudienceDependencies,
  node: RuleNode | undefined,
): CompiledAudience {
  if (node === undefined) {
    // Uploaded: membership is whatever the files put there.
    const isMember = (p: ProfileSnapshot): boolean =>
      Object.hasOwn(p.memberships, name) && p.memberships[name] === 'realized';
    return Object.freeze({
      name,
      origin,
      dependsOn,
      timed: false,
      isMember,
      evaluate: (p: ProfileSnapshot): Evaluation => ({ member: isMember(p), changesAt: null }),
    });
  }
  const run = node.run;
  const out: Out = { t: null };
  return Object.freeze({
    name,
    origin,
    dependsOn,
    timed: node.timed,
    evaluate(p: ProfileSnapshot, now: number): Evaluation {
      const member = run(p, now, out);
      return { member, changesAt: out.t };
    },
    isMember: (p: ProfileSnapshot, now: number): boolean => run(p, now, out),
  });
}
