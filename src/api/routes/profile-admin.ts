// Profile administration routes: bulk import (CSV or JSON lines, per-row error report), erasure on
// request, and the experience-event retention setting.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  profileEraseAnswer,
  profileImportAnswer,
  profileSettingsAnswer,
  profileSettingsPutAnswer,
} from '../../isomorphic/api/profiles.ts';

const retentionSchema = z
  .object({ eventRetentionDays: z.number().int().min(1).max(3650).nullable() })
  .strict();

export function profileAdminRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['profiles'];
    f.addContentTypeParser(
      ['text/csv', 'application/x-ndjson', 'application/jsonl'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );

    f.post<{ Querystring: { format?: string } }>(
      '/profiles/import',
      {
        schema: {
          tags,
          summary:
            'Import profiles from CSV (namespace,id,<attribute paths>) or JSON lines; answers a per-row error report',
        },
      },
      async (req): Promise<Answer<typeof profileImportAnswer>> => {
        const type = String(req.headers['content-type'] ?? '');
        const format = parseWith(
          z.enum(['csv', 'jsonl']),
          req.query.format ?? (type.includes('csv') ? 'csv' : 'jsonl'),
          'format',
        );
        const text = typeof req.body === 'string' ? req.body : '';
        return app.profileAdmin.import(sandboxOf(req), text, { format });
      },
    );

    f.delete<{ Params: { namespace: string; id: string } }>(
      '/profiles/:namespace/:id',
      {
        schema: {
          tags,
          summary:
            'Erase a profile on request: attributes, identities, events, messages, memberships and journey instances',
        },
      },
      async (req): Promise<Answer<typeof profileEraseAnswer>> =>
        app.profileAdmin.erase(sandboxOf(req), req.params.namespace, req.params.id),
    );

    f.get(
      '/profile-settings',
      { schema: { tags, summary: 'Profile settings: experience-event retention' } },
      async (req): Promise<Answer<typeof profileSettingsAnswer>> =>
        app.profileAdmin.retention(sandboxOf(req)),
    );

    f.put(
      '/profile-settings',
      {
        schema: {
          tags,
          summary: 'Set the experience-event retention (days, or null to keep everything)',
          body: openApi(retentionSchema),
        },
      },
      async (req): Promise<Answer<typeof profileSettingsPutAnswer>> => {
        const body = parseWith(retentionSchema, req.body ?? {}, 'profile settings');
        return app.profileAdmin.setRetention(sandboxOf(req), body.eventRetentionDays);
      },
    );
  };
}
