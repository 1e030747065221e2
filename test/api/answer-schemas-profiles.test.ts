// The profile import, erase and profile settings answers are described by
// src/isomorphic/api/profiles.ts. A real server imports CSV and JSON lines (good rows and refused
// ones), erases a profile and sets the event retention: every answer parses strictly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  profileEraseAnswer,
  profileImportAnswer,
  profileSettingsAnswer,
  profileSettingsPutAnswer,
} from '../../src/isomorphic/api/profiles.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

test('profile import, erase and settings answer as their schemas say', async () => {
  const w = await apiWorld();
  try {
    const csv = [
      'namespace,id,person.name.firstName,loyalty.tier',
      'Email,lea@luma.example,Léa,blue',
      'Nowhere,x@luma.example,X,blue',
      'Email,short@luma.example',
    ].join('\n');
    const imported = await w.request('POST', '/v1/profiles/import?format=csv', csv, {
      'content-type': 'text/csv',
    });
    conforms(profileImportAnswer, imported, 'POST /v1/profiles/import (CSV)');
    assert.equal(imported.body.failed, 2, JSON.stringify(imported.body));
    const jsonl = '{"namespace":"Email","id":"ola@luma.example","attributes":{}}\nnot json\n';
    conforms(
      profileImportAnswer,
      await w.request('POST', '/v1/profiles/import', jsonl, {
        'content-type': 'application/x-ndjson',
      }),
      'POST /v1/profiles/import (JSON lines)',
    );
    conforms(
      profileEraseAnswer,
      await w.request('DELETE', '/v1/profiles/Email/lea@luma.example'),
      'DELETE /v1/profiles/:namespace/:id',
    );
    conforms(
      profileSettingsAnswer,
      await w.request('GET', '/v1/profile-settings'),
      'GET /v1/profile-settings',
    );
    conforms(
      profileSettingsPutAnswer,
      await w.request('PUT', '/v1/profile-settings', { eventRetentionDays: 400 }),
      'PUT /v1/profile-settings',
    );
    conforms(
      profileSettingsAnswer,
      await w.request('GET', '/v1/profile-settings'),
      'GET /v1/profile-settings (set)',
    );
  } finally {
    await w.close();
  }
});
