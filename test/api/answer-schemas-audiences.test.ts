// The console's audience types are inferred from src/isomorphic/api/audiences.ts. A real server
// sizes, lists, evaluates and schedules the lab's audiences, takes an uploaded audience's CSV (one
// row refused), makes an audience from feedback and runs a read-audience journey: every answer, the
// audience jobs of each kind included, parses strictly with its schema.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  audienceJobsAnswer,
  audienceMembersAnswer,
  audienceScheduleAnswer,
  audienceSizeAnswer,
  audienceUploadAnswer,
  batchRunSchema,
  fromFeedbackAnswer,
  profileAudiencesAnswer,
} from '../../src/isomorphic/api/audiences.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

const BLUE = encodeURIComponent('Luma - Blue Luma+ Members');

test('audience sizes, members, runs, uploads, jobs and memberships answer as their schemas say', async () => {
  const w = await apiWorld();
  try {
    const evaluated = await w.request('POST', `/v1/audiences/${BLUE}/evaluate`);
    conforms(batchRunSchema, evaluated, 'POST /v1/audiences/:name/evaluate');
    const size = await w.request('GET', `/v1/audiences/${BLUE}/size?sample=5`);
    conforms(audienceSizeAnswer, size, 'GET /v1/audiences/:name/size');
    const members = await w.request('GET', `/v1/audiences/${BLUE}/members?limit=2`);
    conforms(audienceMembersAnswer, members, 'GET /v1/audiences/:name/members');
    assert.ok(members.body.items.length > 0, 'the lab has blue members');

    conforms(
      audienceScheduleAnswer,
      await w.request('PUT', `/v1/audiences/${BLUE}/schedule`, { everySeconds: 3600 }),
      'PUT /v1/audiences/:name/schedule',
    );

    const created = await w.request('POST', '/v1/audiences', {
      name: 'Uploaded VIPs',
      origin: 'uploaded',
      namespace: 'Email',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const upload = await w.request(
      'POST',
      '/v1/audiences/Uploaded%20VIPs/upload?mode=replace&idColumn=email',
      'email\nvip@example.com\n\n"unclosed\n',
      { 'content-type': 'text/csv' },
    );
    conforms(audienceUploadAnswer, upload, 'POST /v1/audiences/:name/upload');
    assert.ok(upload.body.errors.length > 0, JSON.stringify(upload.body));

    const fromFeedback = await w.request('POST', '/v1/audiences/from-feedback', {
      name: 'Clicked anything',
      action: 'clicked',
      journeyId: 'purchase-journey',
      namespace: 'Email',
    });
    assert.equal(fromFeedback.status, 201, JSON.stringify(fromFeedback.body));
    conforms(fromFeedbackAnswer, fromFeedback, 'POST /v1/audiences/from-feedback');

    const journey = await w.request('POST', '/v1/journeys', {
      id: 'blue-read',
      name: 'Blue read',
      entry: { type: 'readAudience', audience: 'Luma - Blue Luma+ Members', namespace: 'Email' },
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    });
    assert.equal(journey.status, 201, JSON.stringify(journey.body));
    const published = await w.request('POST', '/v1/journeys/blue-read/publish');
    assert.equal(published.status, 200, JSON.stringify(published.body));

    const jobs = await w.request('GET', '/v1/audience-jobs');
    conforms(audienceJobsAnswer, jobs, 'GET /v1/audience-jobs');
    const kinds = new Set(jobs.body.items.map((j: { kind: string }) => j.kind));
    assert.ok(kinds.has('batch') && kinds.has('read'), [...kinds].join(', '));

    const member = members.body.items[0].identities[0];
    conforms(
      profileAudiencesAnswer,
      await w.request('GET', `/v1/profiles/${member.namespace}/${member.id}/audiences`),
      'GET /v1/profiles/:namespace/:id/audiences',
    );
    conforms(
      audienceScheduleAnswer,
      await w.request('PUT', `/v1/audiences/${BLUE}/schedule`, { everySeconds: null }),
      'PUT /v1/audiences/:name/schedule (removed)',
    );
  } finally {
    await w.close();
  }
});
