// The rule tree compiled to closures. Each node answers "member now?" and writes into `out.t` the
// earliest instant at which its answer may change with no new input (null: never). The bounds
// combine soundly: an `and` that is false can only turn true once every false child has turned,
// so its bound is the latest of theirs; a true one turns false as soon as any child does.
import type { AudienceRefRule, EventRule, FeedbackRule } from '../model/audience.ts';
import { windowMs } from '../model/audience.ts';
import type { Predicate } from './attribute.ts';
import { countAt, countTest } from './counting.ts';
import type { ProfileSnapshot } from './types.ts';

export interface Out {
  t: number | null;
}
export interface RuleNode {
  /** False when the node always reports `t = null` (its answer depends on stored data only). */
  readonly timed: boolean;
  readonly run: (p: ProfileSnapshot, now: number, out: Out) => boolean;
}

export function constNode(value: boolean): RuleNode {
  return {
    timed: false,
    run: (_p, _now, out) => {
      out.t = null;
      return value;
    },
  };
}

export function attributeNode(pred: Predicate): RuleNode {
  return {
    timed: false,
    run: (p, _now, out) => {
      out.t = null;
      return pred(p.attributes);
    },
  };
}

export function notNode(child: RuleNode): RuleNode {
  const run = child.run;
  return { timed: child.timed, run: (p, now, out) => !run(p, now, out) };
}

const byTimed = (a: RuleNode, b: RuleNode): number => Number(a.timed) - Number(b.timed);

export function andNode(children: readonly RuleNode[]): RuleNode {
  const kids = [...children].sort(byTimed).map((c) => c.run);
  const timed = children.some((c) => c.timed);
  if (!timed) {
    return {
      timed,
      run: (p, now, out) => {
        for (const k of kids) if (!k(p, now, out)) return false;
        return true;
      },
    };
  }
  return {
    timed,
    run: (p, now, out) => {
      let minTrue = Infinity;
      let maxFalse = -Infinity;
      for (const k of kids) {
        if (k(p, now, out)) {
          if (out.t !== null && out.t < minTrue) minTrue = out.t;
        } else {
          if (out.t === null) return false; // false for good: out.t is already null
          if (out.t > maxFalse) maxFalse = out.t;
        }
      }
      if (maxFalse !== -Infinity) {
        out.t = maxFalse;
        return false;
      }
      out.t = minTrue === Infinity ? null : minTrue;
      return true;
    },
  };
}

export function orNode(children: readonly RuleNode[]): RuleNode {
  const kids = [...children].sort(byTimed).map((c) => c.run);
  const timed = children.some((c) => c.timed);
  if (!timed) {
    return {
      timed,
      run: (p, now, out) => {
        for (const k of kids) if (k(p, now, out)) return true;
        return false;
      },
    };
  }
  return {
    timed,
    run: (p, now, out) => {
      let minFalse = Infinity;
      let maxTrue = -Infinity;
      for (const k of kids) {
        if (k(p, now, out)) {
          if (out.t === null) return true; // true for good
          if (out.t > maxTrue) maxTrue = out.t;
        } else if (out.t !== null && out.t < minFalse) {
          minFalse = out.t;
        }
      }
      if (maxTrue !== -Infinity) {
        out.t = maxTrue;
        return true;
      }
      out.t = minFalse === Infinity ? null : minFalse;
      return false;
    },
  };
}

const allOf = (preds: readonly Predicate[]): Predicate =>
  preds.length === 0 ? () => true : (payload) => preds.every((f) => f(payload));

export function eventNode(rule: EventRule, where: readonly Predicate[]): RuleNode {
  const type = rule.eventType;
  const w = rule.within === undefined ? undefined : windowMs(rule.within);
  const test = countTest(rule.count);
  const match = allOf(where);
  return {
    timed: true,
    run: (p, now, out) => {
      const events = p.events;
      const from = w === undefined ? -Infinity : now - w;
      const times: number[] = [];
      // Every event is looked at: a late event can sit after newer ones, so order is not relied on.
      for (let i = 0; i < events.length; i++) {
        const e = events[i] as ProfileSnapshot['events'][number];
        if (e.at < from || e.type !== type) continue;
        if (match(e.payload)) times.push(e.at);
      }
      const r = countAt(times, now, w, test);
      out.t = r.changesAt;
      return r.value;
    },
  };
}

export function feedbackNode(rule: FeedbackRule): RuleNode {
  const { action, messageId, journeyId, node, link } = rule;
  const w = rule.within === undefined ? undefined : windowMs(rule.within);
  const test = countTest(rule.count ?? { op: 'atLeast', value: 1 });
  return {
    timed: true,
    run: (p, now, out) => {
      const times: number[] = [];
      for (const f of p.feedback) {
        if (f.action !== action) continue;
        if (messageId !== undefined && f.messageId !== messageId) continue;
        if (journeyId !== undefined && f.journeyId !== journeyId) continue;
        if (node !== undefined && f.node !== node) continue;
        if (link !== undefined && f.link !== link) continue;
        times.push(f.at);
      }
      const r = countAt(times, now, w, test);
      out.t = r.changesAt;
      return r.value;
    },
  };
}

export function audienceRefNode(rule: AudienceRefRule): RuleNode {
  const { name } = rule;
  const status = rule.status ?? 'realized';
  return {
    timed: false,
    run: (p, _now, out) => {
      out.t = null;
      return Object.hasOwn(p.memberships, name) && p.memberships[name] === status;
    },
  };
}
