// Who may decide an approval request, journeys' and campaigns' alike (AJO's approval policies):
// never the requester unless the rule allows self-approval, and, when the rule names approvers
// (users, by id or email, and roles), only one of them. The permission to decide at all
// (journeys.publish, campaigns.publish) is the route's check. Pure: no I/O.
import { z } from 'zod';
import type { Actor, Principal } from './policy.ts';

/** Named approvers: users (ids or emails) and roles (names); anyone holding either may decide. */
export const namedApproversSchema = z
  .object({
    users: z.array(z.string().trim().min(1).max(320)).max(100).default([]),
    roles: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  })
  .strict();
export interface NamedApprovers {
  readonly users: readonly string[];
  readonly roles: readonly string[];
}

/** The rule a request is decided by. */
export interface ApprovalRule {
  /** The policy's name, for messages ("journey publishing" for journeys). */
  readonly policy: string;
  readonly allowSelfApproval: boolean;
  /** null: anyone with the permission to decide. */
  readonly approvers: NamedApprovers | null;
}

/** Who decides: the actor and the names of the roles they hold in the request's sandbox. */
export interface Decider {
  readonly actor: Actor;
  readonly roles: readonly string[];
}

export type DecisionRefusalReason = 'selfApproval' | 'notAnApprover';
export interface DecisionRefusal {
  readonly reason: DecisionRefusalReason;
  readonly message: string;
}

/** What a stored request says of its rule (approval requests snapshot it when made). */
export interface RequestRule {
  readonly object: { readonly kind: 'journey' | 'campaign' };
  readonly policy?: { readonly name: string; readonly allowSelfApproval: boolean } | undefined;
  readonly approvers?: NamedApprovers | undefined;
}

const named = (a: NamedApprovers | null | undefined): NamedApprovers | null =>
  a && (a.users.length > 0 || a.roles.length > 0) ? { users: a.users, roles: a.roles } : null;

/** Journeys: never self-approved; the sandbox's journey approvers when it names some. */
export function journeyRule(approvers?: NamedApprovers | null): ApprovalRule {
  return { policy: 'journey publishing', allowSelfApproval: false, approvers: named(approvers) };
}

/** A campaign approval policy's rule. */
export function campaignRule(policy: {
  readonly name: string;
  readonly allowSelfApproval: boolean;
  readonly approvers?: NamedApprovers | undefined;
}): ApprovalRule {
  return {
    policy: policy.name,
    allowSelfApproval: policy.allowSelfApproval,
    approvers: named(policy.approvers),
  };
}

/** The rule a stored request is decided by (what was snapshotted when it was made). */
export function ruleOfRequest(a: RequestRule): ApprovalRule {
  if (a.object.kind === 'campaign' && a.policy)
    return campaignRule({ ...a.policy, approvers: a.approvers });
  return { ...journeyRule(a.approvers), ...(a.policy ? { policy: a.policy.name } : {}) };
}

const sameActor = (a: Actor, b: Actor): boolean => a.kind === b.kind && a.id === b.id;

/** Whether the decider is one of the named approvers: a user by id or email (any case), or a role held. */
export function isNamedApprover(approvers: NamedApprovers, d: Decider): boolean {
  if (d.actor.kind === 'user') {
    const who = [d.actor.id.toLowerCase(), d.actor.name.toLowerCase()];
    if (approvers.users.some((u) => who.includes(u.toLowerCase()))) return true;
  }
  return approvers.roles.some((r) => d.roles.includes(r));
}

/** Why `decider` may not decide a request made by `requestedBy` under `rule`, or null when they may. */
export function decisionRefusal(
  rule: ApprovalRule,
  requestedBy: Actor,
  decider: Decider,
): DecisionRefusal | null {
  if (sameActor(requestedBy, decider.actor) && !rule.allowSelfApproval)
    return {
      reason: 'selfApproval',
      message: `self-approval is not allowed by policy "${rule.policy}": someone else decides`,
    };
  if (rule.approvers && !isNamedApprover(rule.approvers, decider)) {
    const names = [...rule.approvers.users, ...rule.approvers.roles.map((r) => `role ${r}`)].join(
      ', ',
    );
    return {
      reason: 'notAnApprover',
      message: `only the approvers policy "${rule.policy}" names decide: ${names}`,
    };
  }
  return null;
}

/** The decider a principal is in `sandbox`: its actor and the roles its grants there give it. */
export function deciderOf(p: Principal, sandbox: string): Decider {
  const roles = p.grants
    .filter((g) => g.sandboxes.includes('*') || g.sandboxes.includes(sandbox))
    .map((g) => g.role.name);
  return { actor: p.actor, roles: [...new Set(roles)] };
}

/** What the notifications need of a request. */
export interface NotifiedRequest extends RequestRule {
  readonly status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  readonly requestedBy: Actor;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
}

/** Pending requests the decider may decide (oldest first), and their own requests decided (newest first). */
export interface ApprovalNotifications<T> {
  readonly waitingForYou: T[];
  readonly yourRequestsDecided: T[];
}

/**
 * The caller's approval notifications: "waiting for you", pending requests they may decide (they
 * hold the kind's publish permission, `mayDecideKind`, and the rule lets them); "your requests
 * decided", their own requests approved or rejected, the `decidedLimit` most recent.
 */
export function approvalNotifications<T extends NotifiedRequest>(
  items: readonly T[],
  me: Decider,
  mayDecideKind: (kind: 'journey' | 'campaign') => boolean,
  decidedLimit = 20,
): ApprovalNotifications<T> {
  const waitingForYou = items
    .filter(
      (a) =>
        a.status === 'pending' &&
        mayDecideKind(a.object.kind) &&
        decisionRefusal(ruleOfRequest(a), a.requestedBy, me) === null,
    )
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  const yourRequestsDecided = items
    .filter(
      (a) =>
        (a.status === 'approved' || a.status === 'rejected') && sameActor(a.requestedBy, me.actor),
    )
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''))
    .slice(0, decidedLimit);
  return { waitingForYou, yourRequestsDecided };
}
