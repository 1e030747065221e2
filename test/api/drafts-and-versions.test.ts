// Never lose work: a draft journey saves whatever its state (its problems listed; they block
// publication, not saving), and saves over someone else's newer version are refused with 409
// version_conflict when the client says which version it edited (If-Match), for journeys and objects.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiWorld } from '../support/server.ts';

/** A journey as the console leaves it mid-edit: an email with no configuration chosen, a condition with an empty expression, a wait leading nowhere. */
const unfinished = {
  name: 'Welcome series',
  start: 'signup',
  nodes: [
    { id: 'signup', kind: 'event', event: 'LumaCheckoutEvent_Email', next: ['welcome'] },
    {
      id: 'welcome',
      kind: 'email',
      label: 'Welcome Email',
      content: { subject: 'Welcome, {{profile.person.name.firstName}}' },
      next: ['check'],
    },
    {
      id: 'check',
      kind: 'condition',
      label: 'Has the app',
      paths: [{ label: 'App', expression: '', next: ['pause'] }],
    },
    { id: 'pause', kind: 'wait', duration: 'PT1H' },
  ],
};

describe('drafts save whatever their state', () => {
  test('an unfinished journey is saved with its problems, each at its activity; publishing it is refused with the same problems', async () => {
    const w = await apiWorld();
    try {
      const created = await w.request('POST', '/v1/journeys', {
        id: 'welcome-series',
        ...unfinished,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const problems = created.body.problems as Array<{
        node: string | null;
        path: string;
        message: string;
      }>;
      const at = (node: string) =>
        problems
          .filter((p) => p.node === node)
          .map((p) => `${p.path}: ${p.message}`)
          .join(' | ');
      assert.match(at('welcome'), /nodes\[1\]\.configuration: .*choose an email configuration/);
      assert.match(at('check'), /expression/i);
      assert.ok(problems.every((p) => typeof p.path === 'string' && typeof p.message === 'string'));
      assert.deepEqual(
        created.body.issues,
        created.body.problems,
        'issues: the same list, for older clients',
      );

      const stored = await w.request('GET', '/v1/journeys/welcome-series');
      const welcome = stored.body.latest.definition.nodes.find(
        (n: { id: string }) => n.id === 'welcome',
      );
      assert.equal(
        welcome.content.subject,
        'Welcome, {{profile.person.name.firstName}}',
        'the typed subject is kept',
      );
      assert.equal(welcome.configuration, '', 'no configuration chosen yet');

      const edited = structuredClone(stored.body.latest.definition);
      edited.nodes.push({ id: 'orphan', kind: 'sms', label: 'Reminder SMS' });
      const saved = await w.request('PUT', '/v1/journeys/welcome-series', edited);
      assert.equal(saved.status, 200);
      assert.ok(
        saved.body.problems.some(
          (p: { node: string; message: string }) =>
            p.node === 'orphan' && /choose an SMS configuration/.test(p.message),
        ),
      );

      const publish = await w.request('POST', '/v1/journeys/welcome-series/publish');
      assert.equal(publish.status, 400);
      assert.match(JSON.stringify(publish.body.error.issues), /choose an email configuration/);
      const validate = await w.request('POST', '/v1/journeys/welcome-series/validate');
      assert.equal(validate.body.valid, false);

      const fixed = structuredClone(saved.body.journey.definition);
      fixed.nodes = fixed.nodes.filter((n: { id: string }) => n.id !== 'orphan');
      fixed.nodes[1].configuration = 'EmailMarketing';
      fixed.nodes[2].paths[0].expression = 'true';
      fixed.nodes[2].paths[0].next = ['pause'];
      fixed.nodes[3].next = [];
      const clean = await w.request('PUT', '/v1/journeys/welcome-series', fixed);
      assert.deepEqual(
        clean.body.problems
          .filter((p: { node: string }) => p.node === 'welcome' || p.node === 'check')
          .map((p: { message: string }) => p.message),
        [],
      );
    } finally {
      await w.close();
    }
  });

  test('a journey with no name, no first activity and no activities yet is a draft too', async () => {
    const w = await apiWorld();
    try {
      const r = await w.request('POST', '/v1/journeys', { id: 'blank' });
      assert.equal(r.status, 201);
      assert.deepEqual(r.body.problems.map((p: { message: string }) => p.message).sort(), [
        'add at least one activity',
        'choose the first activity',
        'give the journey a name',
      ]);
    } finally {
      await w.close();
    }
  });

  test('what cannot be stored at all is still refused: not an object, wrong types, an unknown activity kind', async () => {
    const w = await apiWorld();
    try {
      for (const body of [
        [1, 2],
        { ...unfinished, nodes: 'none' },
        { ...unfinished, nodes: [{ id: 'x', kind: 'teleport' }] },
        { ...unfinished, name: 42 },
      ]) {
        const r = await w.request('PUT', '/v1/journeys/purchase-journey', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.error.code, 'validation_failed');
        assert.ok(r.body.error.issues.length > 0);
      }
    } finally {
      await w.close();
    }
  });
});

describe('optimistic concurrency', () => {
  test('journey drafts: a save based on an older version answers 409 version_conflict with the current one; without If-Match it saves', async () => {
    const w = await apiWorld();
    try {
      const v2 = await w.server.inject({
        method: 'POST',
        url: '/v1/journeys/purchase-journey/versions',
        headers: { authorization: `Bearer ${(await import('../support/server.ts')).ADMIN_KEY}` },
      });
      assert.equal(v2.statusCode, 201);
      assert.equal(v2.headers.etag, '"v2-r1"');
      const read = await w.server.inject({
        method: 'GET',
        url: '/v1/journeys/purchase-journey',
        headers: { authorization: `Bearer ${(await import('../support/server.ts')).ADMIN_KEY}` },
      });
      const etag = read.headers.etag as string;
      assert.equal(etag, '"v2-r1"');
      const def = JSON.parse(read.body).latest.definition;

      // Ana saves first, with the version she read.
      def.description = 'Ana was here';
      const ana = await w.request('PUT', '/v1/journeys/purchase-journey', def, {
        'if-match': etag,
      });
      assert.equal(ana.status, 200);
      assert.equal(ana.body.journey.revision, 2);
      // Ben edited the same version and saves after her: refused, nothing overwritten.
      def.description = 'Ben was here';
      const ben = await w.request('PUT', '/v1/journeys/purchase-journey', def, {
        'if-match': etag,
      });
      assert.equal(ben.status, 409);
      assert.equal(ben.body.error.code, 'version_conflict');
      assert.deepEqual(
        {
          expected: ben.body.error.details.expected,
          current: ben.body.error.details.current,
          etag: ben.body.error.details.etag,
        },
        { expected: 1, current: 2, etag: '"v2-r2"' },
      );
      assert.equal(
        (await w.request('GET', '/v1/journeys/purchase-journey')).body.latest.definition
          .description,
        'Ana was here',
      );
      // With the current ETag it goes through; without If-Match (the CLI, scripts) too.
      assert.equal(
        (await w.request('PUT', '/v1/journeys/purchase-journey', def, { 'if-match': '"v2-r2"' }))
          .status,
        200,
      );
      def.description = 'a script';
      assert.equal((await w.request('PUT', '/v1/journeys/purchase-journey', def)).status, 200);
      // Saves without If-Match sent at the same time all go through, the last one winning.
      const together = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          w.request('PUT', '/v1/journeys/purchase-journey', { ...def, description: `script ${n}` }),
        ),
      );
      assert.deepEqual(
        together.map((r) => r.status),
        [200, 200, 200, 200],
      );
      def.description = 'a script';
      assert.equal((await w.request('PUT', '/v1/journeys/purchase-journey', def)).status, 200);
      // An ETag of another version of the journey does not match its draft.
      assert.equal(
        (await w.request('PUT', '/v1/journeys/purchase-journey', def, { 'if-match': '"v1-r4"' }))
          .status,
        409,
      );
      // Publishing and deleting the draft honour If-Match too: only the draft as last seen.
      const now = (
        await w.server.inject({
          method: 'GET',
          url: '/v1/journeys/purchase-journey',
          headers: { authorization: `Bearer ${(await import('../support/server.ts')).ADMIN_KEY}` },
        })
      ).headers.etag as string;
      assert.equal(now, '"v2-r9"');
      assert.equal(
        (
          await w.request('DELETE', '/v1/journeys/purchase-journey', undefined, {
            'if-match': '"v2-r8"',
          })
        ).status,
        409,
      );
      assert.equal(
        (
          await w.request('POST', '/v1/journeys/purchase-journey/publish', undefined, {
            'if-match': '"v2-r8"',
          })
        ).body.error.code,
        'version_conflict',
      );
      const published = await w.request(
        'POST',
        '/v1/journeys/purchase-journey/publish',
        undefined,
        { 'if-match': now },
      );
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.revision, 10, 'the answer carries the revision stored');
      assert.equal(
        (await w.request('GET', '/v1/journeys/purchase-journey')).body.latest.revision,
        10,
      );
      const bad = await w.request('PUT', '/v1/journeys/purchase-journey', def, {
        'if-match': 'yesterday',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.issues[0].path, 'headers.if-match');
    } finally {
      await w.close();
    }
  });

  test('objects: every answer carries the revision as ETag; a PUT over a newer revision answers 409 version_conflict', async () => {
    const w = await apiWorld();
    try {
      const auth = { authorization: `Bearer ${(await import('../support/server.ts')).ADMIN_KEY}` };
      const rules = {
        name: 'Weekly cap',
        domain: 'journey',
        rules: [{ kind: 'concurrency', id: 'one-at-a-time', cap: 1 }],
      };
      const created = await w.request('POST', '/v1/rule-sets', rules);
      if (created.status !== 201) assert.fail(`rule set: ${JSON.stringify(created.body)}`);
      assert.equal(created.body.revision, 1);
      assert.equal(created.body.etag, '"r1"');
      assert.equal(created.body.name, 'Weekly cap');
      const read = await w.server.inject({
        method: 'GET',
        url: '/v1/rule-sets/Weekly%20cap',
        headers: auth,
      });
      assert.equal(read.headers.etag, '"r1"');

      const first = await w.request(
        'PUT',
        '/v1/rule-sets/Weekly%20cap',
        { ...rules, description: 'first' },
        { 'if-match': '"r1"' },
      );
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.revision, 2);
      const second = await w.request(
        'PUT',
        '/v1/rule-sets/Weekly%20cap',
        { ...rules, description: 'second' },
        { 'if-match': '"r1"' },
      );
      assert.equal(second.status, 409);
      assert.equal(second.body.error.code, 'version_conflict');
      assert.deepEqual(
        {
          expected: second.body.error.details.expected,
          current: second.body.error.details.current,
        },
        { expected: 1, current: 2 },
      );
      assert.equal(
        (await w.request('GET', '/v1/rule-sets/Weekly%20cap')).body.spec.description,
        'first',
      );
      // If-Match on something that does not exist (deleted meanwhile) is a conflict too, naming no current revision.
      const gone = await w.request(
        'PUT',
        '/v1/rule-sets/Nope',
        { ...rules, name: 'Nope' },
        { 'if-match': '"r3"' },
      );
      assert.equal(gone.status, 409);
      assert.equal(gone.body.error.details.current, null);
      // Without If-Match a save works as before.
      assert.equal(
        (await w.request('PUT', '/v1/rule-sets/Weekly%20cap', { ...rules, description: 'third' }))
          .body.revision,
        3,
      );
    } finally {
      await w.close();
    }
  });
});
