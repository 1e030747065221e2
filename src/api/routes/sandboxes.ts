// Sandboxes: list (those the caller may enter), create, read, reset, delete (typed confirmation),
// and their settings (retention of experience events, approvals for publishing journeys).
import type { FastifyInstance } from 'fastify';
import {
  sandboxConfirmBody as confirmSchema,
  sandboxCreateBody as createSchema,
  sandboxSettingsBody as settingsSchema,
} from '../../access/api-schemas.ts';
import { mayEnter } from '../../access/policy.ts';
import type { SandboxSettings } from '../../access/api-types.ts';
import type { Waymark } from '../../runtime/app.ts';
import { noteAudit } from '../audit-note.ts';
import { parseWith } from '../context.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const tags = ['sandboxes'];
type NameParams = { Params: { name: string } };

/**
 * What this process keeps about a sandbox whose data was just erased: its compiled catalog, its
 * allowed hosts and its asset files (on disk with SQLite); the retention job (erased with the rest) is scheduled again when retention is set.
 */
async function afterErase(app: Waymark, name: string, retentionDays: number | null): Promise<void> {
  app.catalogs.invalidate(name);
  app.allowedHosts.forget(name);
  await app.assets.forgetSandbox(name);
  if (retentionDays !== null) await app.profileAdmin.setRetention(name, retentionDays);
}

export function sandboxRoutes(app: Waymark) {
  const registry = app.access.sandboxes;
  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/sandboxes',
      {
        schema: {
          tags,
          summary: 'The sandboxes the caller may enter, with their type and settings',
        },
        config: { permission: 'signed-in' },
      },
      async (req) => {
        const p = principalOf(req);
        return { items: (await registry.list()).filter((s) => mayEnter(p, s.name)) };
      },
    );

    f.post(
      '/sandboxes',
      {
        schema: {
          tags,
          summary:
            'Create a sandbox ({name, title?, type: production|development}); needs sandboxes.manage in every sandbox',
          body: openApi(createSchema),
        },
        config: { permission: 'sandboxes.manage', everywhere: true },
      },
      async (req, reply) => {
        const input = parseWith(createSchema, req.body ?? {}, 'sandbox');
        const created = await registry.create(
          {
            name: input.name,
            type: input.type,
            ...(input.title !== undefined ? { title: input.title } : {}),
          },
          principalOf(req).actor,
        );
        noteAudit(req, {
          action: 'sandbox.create',
          sandbox: created.name,
          object: { kind: 'sandbox', key: created.name, name: created.title },
          changes: [
            { path: '', after: { name: created.name, title: created.title, type: created.type } },
          ],
        });
        return reply.status(201).send(created);
      },
    );

    f.get<NameParams>(
      '/sandboxes/:name',
      {
        schema: { tags, summary: 'Read a sandbox' },
        config: { permission: 'signed-in', sandboxParam: 'name' },
      },
      async (req) => registry.get(req.params.name),
    );

    f.delete<NameParams & { Querystring: { confirm?: string } }>(
      '/sandboxes/:name',
      {
        schema: {
          tags,
          summary:
            'Delete a sandbox and everything in it (?confirm=<its name>); a production sandbox cannot be deleted',
        },
        config: { permission: 'sandboxes.manage', sandboxParam: 'name' },
      },
      async (req, reply) => {
        const name = req.params.name;
        const before = await registry.get(name);
        await app.engine.exclusive(() =>
          registry.delete(name, req.query.confirm ?? '', principalOf(req).actor),
        );
        await afterErase(app, name, null);
        noteAudit(req, {
          action: 'sandbox.delete',
          sandbox: name,
          object: { kind: 'sandbox', key: name, name: before.title },
          changes: [{ path: '', before: { name, title: before.title, type: before.type } }],
        });
        return reply.status(204).send();
      },
    );

    f.post<NameParams>(
      '/sandboxes/:name/reset',
      {
        schema: {
          tags,
          summary:
            'Empty a sandbox (objects, journeys, profiles, events, messages, everything) and keep its name and settings; body {confirm: <its name>}',
          body: openApi(confirmSchema),
        },
        config: { permission: 'sandboxes.manage', sandboxParam: 'name' },
      },
      async (req) => {
        const name = req.params.name;
        const { confirm } = parseWith(confirmSchema, req.body ?? {}, 'confirmation');
        const before = await registry.get(name);
        await app.engine.exclusive(() => registry.reset(name, confirm, principalOf(req).actor));
        await afterErase(app, name, before.settings.retentionDays);
        noteAudit(req, {
          action: 'sandbox.reset',
          sandbox: name,
          object: { kind: 'sandbox', key: name, name: before.title },
        });
        return registry.get(name);
      },
    );

    f.get<NameParams>(
      '/sandboxes/:name/settings',
      {
        schema: {
          tags,
          summary:
            "A sandbox's settings: retention (events, messages, dead letters, audit), approvals, the Assistant (model, personal data)",
        },
        config: { permission: 'settings.manage', sandboxParam: 'name' },
      },
      async (req) => registry.settings(req.params.name),
    );

    f.put<NameParams>(
      '/sandboxes/:name/settings',
      {
        schema: {
          tags,
          summary:
            "Replace a sandbox's settings ({retentionDays: days or null (experience events), retention?: {messages, deadLetters, audit: days or null; absent: unchanged}, approvals: {journeyPublish, journeyApprovers?: {users, roles}, campaigns: [{name, campaignTypes?, channels?, allowSelfApproval, approvers?: {users, roles}}]}, assistant?: {model?, personalData?: booleans; absent: unchanged}}); named approvers: only they decide",
          body: openApi(settingsSchema),
        },
        config: { permission: 'settings.manage', sandboxParam: 'name' },
      },
      async (req) => {
        const name = req.params.name;
        const body = parseWith(settingsSchema, req.body ?? {}, 'sandbox settings');
        const before = await registry.settings(name);
        // The other retention periods: those given replace, those absent stay.
        const settings: SandboxSettings = {
          ...body,
          retention: { ...before.retention, ...body.retention },
          assistant: { ...before.assistant, ...body.assistant },
        };
        const saved = await registry.putSettings(name, settings, principalOf(req).actor);
        // The retention job purges now and every hour (or stops) as the profile settings' retention does.
        if (before.retentionDays !== settings.retentionDays)
          await app.profileAdmin.setRetention(name, settings.retentionDays);
        const changes = [
          ...(['messages', 'deadLetters', 'audit'] as const)
            .filter((t) => before.retention[t] !== settings.retention[t])
            .map((t) => ({
              path: `retention.${t}`,
              before: before.retention[t],
              after: settings.retention[t],
            })),
          ...(before.retentionDays !== settings.retentionDays
            ? [
                {
                  path: 'retentionDays',
                  before: before.retentionDays,
                  after: settings.retentionDays,
                },
              ]
            : []),
          ...(before.approvals.journeyPublish !== settings.approvals.journeyPublish
            ? [
                {
                  path: 'approvals.journeyPublish',
                  before: before.approvals.journeyPublish,
                  after: settings.approvals.journeyPublish,
                },
              ]
            : []),
          ...(JSON.stringify(before.approvals.journeyApprovers) !==
          JSON.stringify(settings.approvals.journeyApprovers)
            ? [
                {
                  path: 'approvals.journeyApprovers',
                  before: before.approvals.journeyApprovers,
                  after: settings.approvals.journeyApprovers,
                },
              ]
            : []),
          ...(JSON.stringify(before.approvals.campaigns) !==
          JSON.stringify(settings.approvals.campaigns)
            ? [
                {
                  path: 'approvals.campaigns',
                  before: before.approvals.campaigns,
                  after: settings.approvals.campaigns,
                },
              ]
            : []),
        ];
        noteAudit(req, {
          action: 'sandbox.settings',
          sandbox: name,
          object: { kind: 'sandbox', key: name, name: saved.title },
          changes,
        });
        return saved.settings;
      },
    );
  };
}
