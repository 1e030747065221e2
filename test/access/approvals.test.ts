// Approvals for publishing journeys: with the sandbox's policy on, only an approval by someone else
// with journeys.publish publishes the Purchase Journey, and the audit log says who asked, who
// approved and who published.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { builtInRole } from '../../src/access/roles.ts';
import type { AuditEntry } from '../../src/access/api-types.ts';
import { ADMIN_KEY, apiWorld, type ApiWorld } from '../support/server.ts';

const ALICE = 'test-alice-journey-manager-0123456789';
const BOB = 'test-bob-journey-manager-0123456789';
const CARA = 'test-cara-content-manager-0123456789';
/** A journey manager without the "finance" label. */
const DAN = 'test-dan-journey-manager-no-labels-0123456789';
const JOURNEY = 'purchase-journey';

type Call = (
  key: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
) => Promise<{ status: number; body: any }>;

async function team(w: ApiWorld): Promise<{ server: FastifyInstance; as: Call }> {
  const server = await buildServer({
    app: w.app,
    keys: [
      apiKey('admin', ADMIN_KEY),
      apiKey('alice', ALICE, ['prod'], 'journey-manager'),
      apiKey('bob', BOB, ['prod'], 'journey-manager'),
      apiKey('cara', CARA, ['prod'], 'content-manager'),
      apiKey('dan', DAN, ['prod'], {
        ...builtInRole('journey-manager')!,
        name: 'jm-unlabelled',
        title: 'Journey manager (no labels)',
        labels: [],
        builtIn: false,
      }),
    ],
  });
  const as: Call = async (key, method, url, body) => {
    const res = await server.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    await w.app.engine.settle();
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };
  return { server, as };
}

/** The journey's audit entries, oldest first: GET /v1/audit-log when the route is there, else the audit service itself. */
async function journeyAudit(w: ApiWorld, as: Call): Promise<AuditEntry[]> {
  const r = await as(ADMIN_KEY, 'GET', `/v1/audit-log?object=journey:${JOURNEY}&limit=100`);
  assert.ok(
    r.status === 200 || r.status === 404,
    `GET /v1/audit-log: ${r.status} ${JSON.stringify(r.body)}`,
  );
  const items: AuditEntry[] =
    r.status === 200
      ? r.body.items
      : (await w.app.access.audit.query({ object: `journey:${JOURNEY}`, limit: 100 })).items;
  return [...items].reverse();
}

describe('approvals for publishing journeys', () => {
  test('round trip for the Purchase Journey: refused directly, requested, not self-approved, approved by another manager and live', async () => {
    const w = await apiWorld();
    const { server, as } = await team(w);
    try {
      assert.equal((await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/versions`)).status, 201);
      const policy = await as(ADMIN_KEY, 'PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: { journeyPublish: true },
      });
      assert.equal(policy.status, 200, JSON.stringify(policy.body));

      const direct = await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/publish`);
      assert.equal(direct.status, 409);
      assert.equal(direct.body.error.code, 'approval_required');

      const asked = await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {
        comment: 'New loyalty offer wording',
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.deepEqual(
        { status: asked.body.status, object: asked.body.object, by: asked.body.requestedBy.name },
        {
          status: 'pending',
          object: { kind: 'journey', id: JOURNEY, version: 2, name: 'Purchase Journey' },
          by: 'alice',
        },
      );
      const id = asked.body.id as string;
      assert.equal(
        (await as(BOB, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {})).status,
        409,
        'one pending request per version',
      );

      // The draft in review is locked.
      const draft = (await as(ALICE, 'GET', `/v1/journeys/${JOURNEY}`)).body.latest;
      const edit = await as(ALICE, 'PUT', `/v1/journeys/${JOURNEY}`, {
        ...draft.definition,
        description: 'changed in review',
      });
      assert.equal(edit.status, 409);
      assert.equal(edit.body.error.code, 'in_review');
      assert.equal(
        (await as(ADMIN_KEY, 'DELETE', `/v1/journeys/${JOURNEY}`)).body.error.code,
        'in_review',
      );

      const queue = await as(CARA, 'GET', '/v1/approvals?status=pending');
      assert.deepEqual(
        queue.body.items.map((a: { id: string }) => a.id),
        [id],
        'the queue, for anyone who views journeys',
      );

      const self = await as(ALICE, 'POST', `/v1/approvals/${id}/approve`, {});
      assert.equal(self.status, 403);
      assert.match(self.body.error.message, /^self-approval is not allowed/);
      assert.equal(
        (await as(CARA, 'POST', `/v1/approvals/${id}/approve`, {})).status,
        403,
        'approving needs journeys.publish',
      );
      assert.equal(
        (await as(ALICE, 'GET', `/v1/journeys/${JOURNEY}`)).body.live.version,
        1,
        'still the old version live',
      );

      const approved = await as(BOB, 'POST', `/v1/approvals/${id}/approve`, {
        comment: 'Looks good',
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.deepEqual(
        {
          status: approved.body.status,
          by: approved.body.decidedBy.name,
          comment: approved.body.decisionComment,
        },
        { status: 'approved', by: 'bob', comment: 'Looks good' },
      );
      const j = (await as(ALICE, 'GET', `/v1/journeys/${JOURNEY}`)).body;
      assert.equal(j.live.version, 2);
      assert.equal(j.live.status, 'live');
      assert.equal(
        (await as(BOB, 'POST', `/v1/approvals/${id}/approve`, {})).status,
        409,
        'decided once',
      );
      assert.equal((await as(CARA, 'GET', `/v1/approvals/${id}`)).body.status, 'approved');

      const trail = (await journeyAudit(w, as)).filter((e) =>
        ['approval.request', 'approval.approve', 'journey.publish'].includes(e.action),
      );
      // The approval and the publish it made are written by the same request (in either order).
      assert.deepEqual(trail.map((e) => `${e.action} by ${e.actor.name}`).sort(), [
        'approval.approve by bob',
        'approval.request by alice',
        'journey.publish by bob',
      ]);
      assert.equal(trail[0]!.action, 'approval.request');
    } finally {
      await server.close();
      await w.close();
    }
  });

  test('reject needs a comment and frees the draft; cancel too; only drafts without problems are sent', async () => {
    const w = await apiWorld();
    const { server, as } = await team(w);
    try {
      await as(ADMIN_KEY, 'PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: { journeyPublish: true },
      });
      assert.equal(
        (await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {})).status,
        409,
        'the live version is no draft',
      );
      await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/versions`);
      const first = (await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {})).body
        .id as string;
      const noComment = await as(BOB, 'POST', `/v1/approvals/${first}/reject`, {});
      assert.equal(noComment.status, 400);
      assert.equal(noComment.body.error.issues[0].path, 'comment');
      const rejected = await as(BOB, 'POST', `/v1/approvals/${first}/reject`, {
        comment: 'Wrong offer',
      });
      assert.equal(rejected.body.status, 'rejected');
      const draft = (await as(ALICE, 'GET', `/v1/journeys/${JOURNEY}`)).body.latest;
      assert.equal(
        (
          await as(ALICE, 'PUT', `/v1/journeys/${JOURNEY}`, {
            ...draft.definition,
            description: 'Better offer',
          })
        ).status,
        200,
        'editable again',
      );

      const second = (await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {})).body
        .id as string;
      assert.equal(
        (await as(ALICE, 'POST', `/v1/approvals/${second}/cancel`)).body.status,
        'cancelled',
      );
      assert.deepEqual(
        (await as(ALICE, 'GET', `/v1/approvals?journey=${JOURNEY}`)).body.items.map(
          (a: { id: string; status: string }) =>
            `${a.id === second ? 'second' : 'first'}:${a.status}`,
        ),
        ['second:cancelled', 'first:rejected'],
        'newest first',
      );

      const broken = await as(ALICE, 'PUT', `/v1/journeys/${JOURNEY}`, {
        ...draft.definition,
        nodes: [],
      });
      assert.equal(broken.status, 200);
      const refused = await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {});
      assert.equal(refused.status, 400);
      assert.ok(refused.body.error.issues.length > 0);

      // A journey labelled "finance": its requests are invisible to a manager without the label.
      await as(ALICE, 'PUT', `/v1/journeys/${JOURNEY}`, {
        ...draft.definition,
        labels: ['finance'],
      });
      const labelled = (await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/approval-requests`, {}))
        .body.id as string;
      assert.deepEqual((await as(DAN, 'GET', '/v1/approvals')).body.items, []);
      assert.equal((await as(DAN, 'GET', `/v1/approvals/${labelled}`)).status, 404);
      assert.equal((await as(DAN, 'POST', `/v1/approvals/${labelled}/approve`, {})).status, 404);
      assert.equal((await as(BOB, 'POST', `/v1/approvals/${labelled}/cancel`)).status, 200);

      // Policy off: publishing directly works again.
      await as(ADMIN_KEY, 'PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: { journeyPublish: false },
      });
      await as(ALICE, 'PUT', `/v1/journeys/${JOURNEY}`, draft.definition);
      assert.equal((await as(ALICE, 'POST', `/v1/journeys/${JOURNEY}/publish`)).status, 200);
    } finally {
      await server.close();
      await w.close();
    }
  });
});
