// Who may decide an approval request, journeys' and campaigns' alike: never the requester unless
// the rule allows it, and only a named approver (a user by id or email, or a role held) when the
// rule names some. And the notifications built on it: what waits for the caller, and the caller's
// own requests decided.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  approvalNotifications,
  campaignRule,
  decisionRefusal,
  deciderOf,
  journeyRule,
  ruleOfRequest,
  type Decider,
  type NotifiedRequest,
} from '../../src/access/approval-decision.ts';
import type { Actor } from '../../src/access/policy.ts';
import { builtInRole } from '../../src/access/roles.ts';

const ana: Actor = { kind: 'user', id: 'u_ana', name: 'ana@luma.example' };
const ben: Actor = { kind: 'user', id: 'u_ben', name: 'ben@luma.example' };
const ciKey: Actor = { kind: 'key', id: 'k_ci', name: 'ben@luma.example' };
const as = (actor: Actor, roles: string[] = []): Decider => ({ actor, roles });

describe('decisionRefusal', () => {
  test('a journey request: anyone but the requester', () => {
    const rule = journeyRule();
    assert.equal(decisionRefusal(rule, ana, as(ben)), null);
    assert.equal(decisionRefusal(rule, ana, as(ana))?.reason, 'selfApproval');
  });

  test('a campaign policy allowing self-approval lets the requester decide', () => {
    const rule = campaignRule({ name: 'Quick', allowSelfApproval: true });
    assert.equal(decisionRefusal(rule, ana, as(ana)), null);
    const strict = campaignRule({ name: 'Strict', allowSelfApproval: false });
    const r = decisionRefusal(strict, ana, as(ana));
    assert.equal(r?.reason, 'selfApproval');
    assert.match(r!.message, /"Strict"/);
  });

  test('named approvers: users by id or email in any case, roles held; nobody else', () => {
    const rule = campaignRule({
      name: 'Brand review',
      allowSelfApproval: false,
      approvers: { users: ['BEN@luma.example', 'u_cy'], roles: ['brand-reviewer'] },
    });
    assert.equal(decisionRefusal(rule, ana, as(ben)), null, 'by email');
    assert.equal(
      decisionRefusal(rule, ana, as({ kind: 'user', id: 'u_cy', name: 'cy@luma.example' })),
      null,
      'by id',
    );
    assert.equal(decisionRefusal(rule, ana, as(ciKey, ['brand-reviewer'])), null, 'by role');
    const key = decisionRefusal(rule, ana, as(ciKey, ['journey-manager']));
    assert.equal(key?.reason, 'notAnApprover', 'a key named like a user is not that user');
    assert.match(key!.message, /BEN@luma\.example, u_cy, role brand-reviewer/);
  });

  test('a named approver is still refused their own request unless allowed', () => {
    const rule = campaignRule({
      name: 'Brand review',
      allowSelfApproval: false,
      approvers: { users: ['ana@luma.example'], roles: [] },
    });
    assert.equal(decisionRefusal(rule, ana, as(ana))?.reason, 'selfApproval');
  });

  test('empty approver lists name nobody: anyone with the permission decides', () => {
    const rule = campaignRule({
      name: 'Open',
      allowSelfApproval: false,
      approvers: { users: [], roles: [] },
    });
    assert.equal(rule.approvers, null);
    assert.equal(decisionRefusal(rule, ana, as(ben)), null);
  });

  test("a stored request's rule: its policy and approvers as snapshotted", () => {
    const campaign = ruleOfRequest({
      object: { kind: 'campaign' },
      policy: { name: 'Brand review', allowSelfApproval: true },
      approvers: { users: [], roles: ['brand-reviewer'] },
    });
    assert.deepEqual(campaign, {
      policy: 'Brand review',
      allowSelfApproval: true,
      approvers: { users: [], roles: ['brand-reviewer'] },
    });
    const journey = ruleOfRequest({ object: { kind: 'journey' } });
    assert.deepEqual(journey, journeyRule());
  });
});

describe('deciderOf', () => {
  test("the roles a principal's grants give it in the sandbox", () => {
    const jm = builtInRole('journey-manager')!;
    const viewer = builtInRole('viewer')!;
    const d = deciderOf(
      {
        actor: ana,
        grants: [
          { role: jm, sandboxes: ['prod'] },
          { role: viewer, sandboxes: ['*'] },
          { role: { ...viewer, name: 'dev-only' }, sandboxes: ['dev'] },
        ],
      },
      'prod',
    );
    assert.deepEqual(d, { actor: ana, roles: ['journey-manager', 'viewer'] });
  });
});

describe('approvalNotifications', () => {
  const req = (
    id: string,
    over: Partial<NotifiedRequest> & { kind?: 'journey' | 'campaign' } = {},
  ): NotifiedRequest & { id: string } => ({
    id,
    object: { kind: over.kind ?? 'campaign' },
    policy: { name: 'P', allowSelfApproval: false },
    status: 'pending',
    requestedBy: ana,
    requestedAt: `2026-12-04T10:0${id.length}:00.000Z`,
    decidedAt: null,
    ...over,
  });

  test('waiting for you: pending, the kind you may decide, the rule lets you; oldest first', () => {
    const items = [
      req('bb'),
      req('a'),
      req('named-other', { approvers: { users: ['someone@else'], roles: [] } }),
      req('mine', { requestedBy: ben }),
      req('journey', { kind: 'journey' }),
      req('done', { status: 'approved', decidedAt: '2026-12-04T11:00:00.000Z' }),
    ];
    const n = approvalNotifications(items, as(ben), (kind) => kind === 'campaign');
    assert.deepEqual(
      n.waitingForYou.map((a) => a.id),
      ['a', 'bb'],
    );
  });

  test('your requests decided: approved or rejected, yours, newest decision first, at most the limit', () => {
    const items = [
      req('old', { status: 'approved', decidedAt: '2026-12-01T00:00:00.000Z' }),
      req('new', { status: 'rejected', decidedAt: '2026-12-03T00:00:00.000Z' }),
      req('cancelled', { status: 'cancelled', decidedAt: '2026-12-04T00:00:00.000Z' }),
      req('pending'),
      req('bens', { requestedBy: ben, status: 'approved', decidedAt: '2026-12-04T00:00:00.000Z' }),
    ];
    const n = approvalNotifications(items, as(ana), () => true, 1);
    assert.deepEqual(
      n.yourRequestsDecided.map((a) => a.id),
      ['new'],
    );
    assert.deepEqual(
      approvalNotifications(items, as(ana), () => true).yourRequestsDecided.map((a) => a.id),
      ['new', 'old'],
    );
  });
});
