// The console's invitation, access label and allowed-host types are inferred from
// src/access/api-schemas.ts. A real server invites people (emailed, and with no email channel: the
// link), counts a label in use and adds and removes allowed hosts: every answer parses strictly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allowedHostsAnswer,
  invitationAnswer,
  labelsAnswer,
} from '../../src/access/api-schemas.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

test('invitations, labels and allowed hosts answer as their schemas say', async () => {
  const w = await apiWorld();
  const before = process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'];
  try {
    const emailed = await w.request('POST', '/v1/users/invitations', {
      email: 'jo@luma.example',
      roles: [{ role: 'viewer', sandboxes: ['prod'] }],
    });
    assert.equal(emailed.body.emailed, true, JSON.stringify(emailed.body));
    conforms(invitationAnswer, emailed, 'POST /v1/users/invitations (emailed)');
    process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'] = 'prod/NoSuchChannel';
    const linked = await w.request('POST', '/v1/users/invitations', {
      email: 'kai@luma.example',
      roles: [{ role: 'viewer', sandboxes: ['prod'] }],
    });
    assert.equal(linked.body.emailed, false, JSON.stringify(linked.body));
    conforms(invitationAnswer, linked, 'POST /v1/users/invitations (no email channel)');

    const created = await w.request('POST', '/v1/audiences', {
      name: 'Brand fans',
      origin: 'uploaded',
      namespace: 'Email',
      labels: ['brand'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const labels = await w.request('GET', '/v1/labels');
    conforms(labelsAnswer, labels, 'GET /v1/labels');
    assert.ok(labels.body.inUse.some((l: { label: string }) => l.label === 'brand'));

    conforms(
      allowedHostsAnswer,
      await w.request('GET', '/v1/allowed-hosts'),
      'GET /v1/allowed-hosts',
    );
    const added = await w.request('POST', '/v1/allowed-hosts', { host: 'api.example.com' });
    conforms(allowedHostsAnswer, added, 'POST /v1/allowed-hosts');
    assert.ok(added.body.sandbox.includes('api.example.com'));
    conforms(
      allowedHostsAnswer,
      await w.request('DELETE', '/v1/allowed-hosts/api.example.com'),
      'DELETE /v1/allowed-hosts/:host',
    );
  } finally {
    if (before === undefined) delete process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'];
    else process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'] = before;
    await w.close();
  }
});
