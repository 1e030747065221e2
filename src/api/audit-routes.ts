// Which changes the audit hook records, route by route: the action, the object and where it comes
// from, whether to take before/after snapshots, and the sandbox. Every POST, PUT, PATCH and DELETE
// route is either here or on the list of routes that change nothing worth recording, with the
// reason (a test holds every route to one of the two). Routes may say more with noteAudit.
import type { Actor } from '../access/api-types.ts';
import { objectKinds } from '../runtime/object-kinds.ts';

/** What the hook knows when it writes the entry. */
export interface AuditContext {
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly query: Readonly<Record<string, unknown>>;
  /** The answer, parsed (JSON), or undefined. */
  readonly answer: unknown;
  readonly status: number;
  /** Whether the snapshotted thing existed before the request (create or update). */
  readonly existed: boolean | undefined;
}

export type SnapshotSpec =
  | { readonly of: 'object'; readonly kind: string }
  | { readonly of: 'journey' }
  | { readonly of: 'profile' };

export interface AuditPlan {
  readonly action: string | ((c: AuditContext) => string);
  /** The object changed; its key is also what the snapshots read. */
  readonly object?: (
    c: Omit<AuditContext, 'answer' | 'status' | 'existed'> & { answer?: unknown },
  ) => { kind: string; key: string } | null;
  /** Before/after snapshots diffed into the entry's changes (profiles: resolved to their id, never diffed). */
  readonly snapshot?: SnapshotSpec;
  /** 'none': outside any sandbox (people, roles, keys, sign-in); default: the request's. */
  readonly sandbox?: 'none';
  /** Routes without a signed-in caller (sign-in, accepting an invitation): who acted, from the answer. */
  readonly actorFromAnswer?: (answer: unknown) => Actor | null;
  /** Also recorded when the route answers with this status (a failed sign-in). */
  readonly alsoOn?: {
    readonly status: number;
    readonly action: string;
    readonly actor: (body: unknown) => Actor | null;
  };
  readonly details?: (c: AuditContext) => Record<string, unknown> | undefined;
}

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const param = (kind: string, name: string) => (c: { params: Readonly<Record<string, string>> }) =>
  c.params[name] !== undefined ? { kind, key: c.params[name]! } : null;
const fromAnswer =
  (kind: string, field = 'id') =>
  (c: { answer?: unknown }) => {
    const key = str(rec(c.answer)[field]);
    return key === undefined ? null : { kind, key };
  };
const createdOrUpdated =
  (area: string) =>
  (c: AuditContext): string =>
    `${area}.${c.existed === false || (c.existed === undefined && c.status === 201) ? 'create' : 'update'}`;
/** A user as the answer shows it (UserView): the actor of their own sign-in or acceptance. */
const userActor = (answer: unknown): Actor | null => {
  const a = rec(answer);
  const user = rec(a['user'] ?? a);
  const id = str(user['id']);
  const email = str(user['email']);
  return id !== undefined && email !== undefined ? { kind: 'user', id, name: email } : null;
};
const signedInActor = (answer: unknown): Actor | null => {
  const actor = rec(rec(answer)['actor']);
  const kind = actor['kind'];
  const id = str(actor['id']);
  const name = str(actor['name']);
  return (kind === 'user' || kind === 'key' || kind === 'operator') &&
    id !== undefined &&
    name !== undefined
    ? { kind, id, name }
    : null;
};
/** A failed sign-in: the email tried (never the password), or an unknown key (never the key). */
const failedSignIn = (body: unknown): Actor => {
  const email = str(rec(body)['email']);
  return email !== undefined
    ? { kind: 'user', id: 'unknown', name: email.slice(0, 200) }
    : { kind: 'key', id: 'unknown', name: 'unknown key' };
};

function objectPlans(): Record<string, AuditPlan> {
  const out: Record<string, AuditPlan> = {};
  for (const k of objectKinds) {
    const base = `/v1/${k.route}`;
    const snapshot: SnapshotSpec = { of: 'object', kind: k.kind };
    const byParam = param(k.kind, 'key');
    out[`POST ${base}`] = {
      action: createdOrUpdated('object'),
      snapshot,
      object: (c) => {
        const body = rec(c.body);
        try {
          return { kind: k.kind, key: k.keyOf(body) };
        } catch {
          return null;
        }
      },
    };
    out[`PUT ${base}/:key`] = { action: createdOrUpdated('object'), snapshot, object: byParam };
    out[`DELETE ${base}/:key`] = { action: 'object.delete', snapshot, object: byParam };
    out[`POST ${base}/:key/archive`] = { action: 'object.archive', object: byParam };
    out[`POST ${base}/:key/unarchive`] = { action: 'object.unarchive', object: byParam };
  }
  return out;
}

const journey = param('journey', 'id');
const journeySnap: SnapshotSpec = { of: 'journey' };
const lifecycle = (command: string): AuditPlan => ({
  action: `journey.${command}`,
  object: journey,
  snapshot: journeySnap,
});
const campaign = param('campaign', 'id');
const campaignSnap: SnapshotSpec = { of: 'object', kind: 'campaign' };
/** A profile's object is its id, which the hook resolves from the identity (never the identity itself: the log outlives an erasure). */
const profile: AuditPlan['object'] = () => null;

/** The audited routes, by method and URL pattern as Fastify registers them. */
export const AUDITED_ROUTES: Readonly<Record<string, AuditPlan>> = {
  ...objectPlans(),
  'PUT /v1/assets/:id/content': { action: 'asset.upload', object: param('asset', 'id') },

  'POST /v1/journeys': {
    action: 'journey.create',
    snapshot: journeySnap,
    object: (c) => {
      const id = str(rec(c.body)['id']);
      return id === undefined ? null : { kind: 'journey', key: id };
    },
  },
  'PUT /v1/journeys/:id': lifecycle('update'),
  'DELETE /v1/journeys/:id': lifecycle('delete'),
  'POST /v1/journeys/:id/versions': lifecycle('new-version'),
  'POST /v1/journeys/:id/publish': lifecycle('publish'),
  'POST /v1/journeys/:id/pause': lifecycle('pause'),
  'POST /v1/journeys/:id/resume': lifecycle('resume'),
  'POST /v1/journeys/:id/close': lifecycle('close'),
  'POST /v1/journeys/:id/stop': lifecycle('stop'),
  'POST /v1/journeys/:id/test-mode': {
    ...lifecycle('test-mode'),
    details: (c) => ({ enabled: rec(c.body)['enabled'] }),
  },
  'POST /v1/journeys/:id/dry-run': {
    ...lifecycle('dry-run'),
    details: (c) => ({ enabled: rec(c.body)['enabled'] }),
  },
  'POST /v1/journeys/:id/test-runs/events': { action: 'journey.test-run', object: journey },
  'POST /v1/journeys/:id/test-runs/:runId/replay': {
    action: 'journey.test-run-replay',
    object: journey,
    details: (c) => ({ run: c.params['runId'] }),
  },
  'POST /v1/journeys/:id/approval-requests': { action: 'approval.request', object: journey },
  // Campaigns: the routes name the action and object (noteAudit); the stored campaign is diffed.
  'POST /v1/campaigns': {
    action: 'campaign.create',
    snapshot: campaignSnap,
    object: (c) => {
      const id = str(rec(c.body)['id']) ?? str(rec(c.answer)['id']);
      return id === undefined ? null : { kind: 'campaign', key: id };
    },
  },
  'PUT /v1/campaigns/:id': { action: 'campaign.update', snapshot: campaignSnap, object: campaign },
  'DELETE /v1/campaigns/:id': {
    action: 'campaign.delete',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/campaigns/:id/activate': {
    action: 'campaign.activate',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/campaigns/:id/stop': {
    action: 'campaign.stop',
    snapshot: campaignSnap,
    object: campaign,
  },
  // A campaign's approval flow: the request, then approve (activates) or request changes (draft).
  'POST /v1/campaigns/:id/approval-requests': {
    action: 'campaign.approval.request',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/campaigns/:id/approve': {
    action: 'campaign.approval.approve',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/campaigns/:id/request-changes': {
    action: 'campaign.approval.reject',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/campaigns/:id/approval-requests/cancel': {
    action: 'campaign.approval.cancel',
    snapshot: campaignSnap,
    object: campaign,
  },
  'POST /v1/approvals/:id/approve': { action: 'approval.approve', object: param('approval', 'id') },
  'POST /v1/approvals/:id/reject': { action: 'approval.reject', object: param('approval', 'id') },
  'POST /v1/approvals/:id/cancel': { action: 'approval.cancel', object: param('approval', 'id') },

  // Profiles are named by their id, never by their identities or attributes, and not diffed.
  'PUT /v1/profiles/:namespace/:id': {
    action: 'profile.update',
    object: profile,
    snapshot: { of: 'profile' },
  },
  'DELETE /v1/profiles/:namespace/:id': {
    action: 'profile.erase',
    object: profile,
    snapshot: { of: 'profile' },
  },
  'POST /v1/profiles/import': {
    action: 'profile.import',
    details: (c) => pick(c.answer, ['created', 'updated', 'rejected', 'total']),
  },
  'PUT /v1/profile-settings': {
    action: 'settings.profiles',
    details: (c) => ({ settings: c.body }),
  },
  'POST /v1/dead-letters/:id/replay': {
    action: 'dead-letter.replay',
    object: param('deadLetter', 'id'),
  },

  'POST /v1/audiences/:name/evaluate': {
    action: 'audience.evaluate',
    object: param('audience', 'name'),
  },
  'PUT /v1/audiences/:name/schedule': {
    action: 'audience.schedule',
    object: param('audience', 'name'),
    details: (c) => ({ schedule: c.body }),
  },
  'POST /v1/audiences/:name/upload': {
    action: 'audience.upload',
    object: param('audience', 'name'),
    details: (c) => ({ mode: c.query['mode'] ?? 'replace' }),
  },
  'POST /v1/audiences/from-feedback': {
    action: 'audience.create-from-feedback',
    object: (c) => {
      const a = rec(rec(c.answer)['audience']);
      const name = str(a['name']) ?? str(rec(c.answer)['name']);
      return name === undefined ? null : { kind: 'audience', key: name };
    },
  },
  'POST /v1/campaigns/:id/audiences': {
    action: 'audience.create-from-campaign-report',
    object: (c) => {
      const name = str(rec(rec(c.answer)['audience'])['name']);
      return name === undefined ? null : { kind: 'audience', key: name };
    },
    details: (c) => {
      const b = rec(c.body);
      return {
        campaign: c.params['id'],
        outcome: b['outcome'],
        ...(b['reason'] !== undefined ? { reason: b['reason'] } : {}),
        ...(b['run'] !== undefined ? { run: b['run'] } : {}),
        ...(b['treatment'] !== undefined ? { treatment: b['treatment'] } : {}),
        size: rec(c.answer)['size'],
      };
    },
  },

  'POST /v1/packages/apply': { action: 'package.apply', details: (c) => packageDetails(c.answer) },
  'POST /v1/allowed-hosts': {
    action: 'settings.allowed-hosts.add',
    details: (c) => ({ host: rec(c.body)['host'] }),
  },
  'DELETE /v1/allowed-hosts/:host': {
    action: 'settings.allowed-hosts.remove',
    details: (c) => ({ host: c.params['host'] }),
  },
  'POST /v1/suppressions': {
    action: 'suppression.add',
    details: (c) => pick(c.body, ['channel', 'address', 'reason']),
  },
  'DELETE /v1/suppressions/:channel/:address': {
    action: 'suppression.remove',
    details: (c) => ({ channel: c.params['channel'], address: c.params['address'] }),
  },
  'POST /v1/exports': {
    action: 'export.run',
    details: (c) => {
      const d = rec(rec(c.body)['destination']);
      return {
        from: rec(c.body)['from'],
        to: rec(c.body)['to'],
        destination: d['kind'],
        ...(d['kind'] === 's3' ? { endpoint: d['endpoint'], bucket: d['bucket'] } : {}),
        location: rec(c.answer)['location'],
      };
    },
  },
  'POST /v1/webhooks/:key/deliveries/:id/redeliver': {
    action: 'webhook.redeliver',
    object: param('webhook', 'key'),
    details: (c) => ({ delivery: c.params['id'] }),
  },

  'POST /v1/translation-projects': {
    action: 'translation.create',
    object: fromAnswer('translationProject'),
  },
  'POST /v1/translation-projects/:id/targets/:locale/approve': {
    action: 'translation.approve',
    object: param('translationProject', 'id'),
    details: (c) => ({ locale: c.params['locale'] }),
  },
  'POST /v1/landing-pages/:key/publish': {
    action: 'landingPage.publish',
    object: param('landingPage', 'key'),
    snapshot: { of: 'object', kind: 'landingPage' },
  },
  'POST /v1/landing-pages/:key/unpublish': {
    action: 'landingPage.unpublish',
    object: param('landingPage', 'key'),
    snapshot: { of: 'object', kind: 'landingPage' },
  },
  'POST /v1/translation-projects/:id/targets/:locale/publish': {
    action: 'translation.publish',
    object: param('translationProject', 'id'),
    details: (c) => ({ locale: c.params['locale'] }),
  },

  'POST /v1/session': {
    action: 'session.sign-in',
    sandbox: 'none',
    actorFromAnswer: signedInActor,
    details: (c) => ({ via: rec(c.answer)['via'] }),
    alsoOn: { status: 401, action: 'session.sign-in-failed', actor: failedSignIn },
  },
  'DELETE /v1/session': { action: 'session.sign-out', sandbox: 'none' },
  'POST /v1/session/sign-out-everywhere': {
    action: 'session.sign-out-everywhere',
    sandbox: 'none',
  },

  'POST /v1/users': { action: 'user.create', sandbox: 'none', object: fromAnswer('user') },
  'POST /v1/users/invitations': {
    action: 'user.invite',
    sandbox: 'none',
    object: (c) => fromAnswer('user')({ answer: rec(c.answer)['user'] ?? c.answer }),
  },
  'PATCH /v1/users/:id': { action: 'user.update', sandbox: 'none', object: param('user', 'id') },
  'DELETE /v1/users/:id': { action: 'user.delete', sandbox: 'none', object: param('user', 'id') },
  'POST /v1/users/:id/sign-out': {
    action: 'user.sign-out',
    sandbox: 'none',
    object: param('user', 'id'),
  },
  'POST /v1/invitations/accept': {
    action: 'user.accept-invitation',
    sandbox: 'none',
    actorFromAnswer: userActor,
    object: (c) => fromAnswer('user')({ answer: rec(c.answer)['user'] ?? c.answer }),
  },
  'POST /v1/password-reset/complete': {
    action: 'user.password-reset',
    sandbox: 'none',
    actorFromAnswer: userActor,
    object: (c) => fromAnswer('user')({ answer: rec(c.answer)['user'] ?? c.answer }),
  },
  'PUT /v1/roles/:name': {
    action: createdOrUpdated('role'),
    sandbox: 'none',
    object: param('role', 'name'),
  },
  'DELETE /v1/roles/:name': {
    action: 'role.delete',
    sandbox: 'none',
    object: param('role', 'name'),
  },
  'POST /v1/api-keys': { action: 'key.create', sandbox: 'none', object: fromAnswer('apiKey') },
  'DELETE /v1/api-keys/:id': {
    action: 'key.revoke',
    sandbox: 'none',
    object: param('apiKey', 'id'),
  },
  'POST /v1/api-keys/:id/rotate': {
    action: 'key.rotate',
    sandbox: 'none',
    object: param('apiKey', 'id'),
  },

  'POST /v1/sandboxes': {
    action: 'sandbox.create',
    object: (c) => {
      const n = str(rec(c.body)['name']);
      return n === undefined ? null : { kind: 'sandbox', key: n };
    },
  },
  'DELETE /v1/sandboxes/:name': { action: 'sandbox.delete', object: param('sandbox', 'name') },
  'POST /v1/sandboxes/:name/reset': { action: 'sandbox.reset', object: param('sandbox', 'name') },
  'PUT /v1/sandboxes/:name/settings': {
    action: 'sandbox.settings',
    object: param('sandbox', 'name'),
  },
};

/**
 * POST routes that change nothing stored (previews, checks, tools), or whose volume makes them
 * data rather than changes (events): never recorded. Each with why.
 */
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  'POST /v1/events':
    'ingests experience events: data, not a change to the sandbox (dead letters keep the refused ones)',
  ...Object.fromEntries(
    ['track', 'identify', 'page', 'screen', 'alias', 'group', 'batch'].map((call) => [
      `POST /v1/segment/${call}`,
      'Segment-spec calls: data from a pipeline, like POST /v1/events (refused events are dead letters)',
    ]),
  ),
  'POST /v1/push/web/subscriptions':
    "a browser's push subscription on a profile: data from the site, like a profile attribute sent with events",
  'POST /v1/push/web/unsubscribe':
    "a browser's push subscription withdrawn: data from the site, like the subscription itself",
  'POST /v1/push/interactions':
    'push opens and clicks reported by the app: message feedback (data), like tracked opens and clicks',
  'POST /v1/inapp/messages/query': "reads a visitor's in-app messages for the site's SDK",
  'POST /v1/inapp/interactions':
    'in-app displays and clicks reported by the site: message feedback (data), like tracked opens and clicks',
  'POST /v1/experiences/query': "reads a visitor's code-based experiences for the site's SDK",
  'POST /v1/journeys/:id/validate': 'checks the draft, changes nothing',
  'POST /v1/decisions':
    'proposes offers to a profile: data, like events (the propositions are recorded and listed by GET /v1/propositions)',
  'POST /v1/campaigns/:id/trigger':
    'sends a live campaign to the recipients named: data, like events (its report counts every call)',
  'POST /v1/expressions/validate': 'checks an expression',
  'POST /v1/expressions/evaluate': 'evaluates an expression against sample data',
  'POST /v1/expressions/complete': 'completion suggestions',
  'POST /v1/personalization/validate': 'checks personalization',
  'POST /v1/personalization/complete': 'completion suggestions',
  'POST /v1/content/check': 'checks content',
  'POST /v1/content/to-code': 'converts content to code, stores nothing',
  'POST /v1/content/from-code': 'converts code to content, stores nothing',
  'POST /v1/content/compile-preview': 'compiles a preview',
  'POST /v1/render': 'renders a preview',
  'POST /v1/render/template-edit': 'renders a preview of a template being edited',
  'POST /v1/render/proof': 'sends a proof to test addresses; stores nothing',
  'POST /v1/landing-pages/:key/preview':
    'renders a landing page for a test profile; stores nothing (offers are decided as a dry run)',
  'POST /v1/packages/plan': 'says what applying would do, writes nothing',
  'POST /v1/packages/validate': 'checks a package',
  'POST /v1/actions/:name/test': 'calls a custom action once to see its answer; stores nothing',
  'POST /v1/assistant/chat':
    'asks the Assistant: reads with the caller’s permissions and changes nothing in the sandbox',
  'POST /v1/assistant/feedback': 'whether an Assistant answer helped: kept with the conversation',
  'POST /v1/password-reset':
    'answers the same whether the email exists or not; the completed reset is recorded',
};

/** Public routes that are never recorded: signed webhooks and tracking, data from outside. */
export const PUBLIC_NOT_AUDITED: ReadonlySet<string> = new Set([
  'POST /t/u/:token',
  'POST /lp/:sandbox/:slug',
  'POST /lp/:sandbox/:slug/:subPage',
  'POST /webhooks/twilio/:sandbox/:configuration/inbound',
  'POST /webhooks/twilio/:sandbox/:configuration/status',
  'POST /webhooks/sendgrid/:sandbox/:configuration/events',
  'POST /webhooks/mailgun/:sandbox/:configuration/events',
  'POST /webhooks/vonage/:sandbox/:configuration/receipts',
]);

function pick(v: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  const r = rec(v);
  const out = Object.fromEntries(
    keys.filter((k) => typeof r[k] === 'number' || typeof r[k] === 'string').map((k) => [k, r[k]]),
  );
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What a package did, object by object (at most 200). */
function packageDetails(answer: unknown): Record<string, unknown> | undefined {
  const objects = rec(answer)['objects'];
  if (!Array.isArray(objects)) return undefined;
  return {
    objects: objects.slice(0, 200).map((o) => {
      const x = rec(o);
      return {
        kind: x['kind'],
        key: x['key'],
        ...(x['status'] !== undefined ? { status: x['status'] } : {}),
        ...(x['copiedAs'] !== undefined ? { copiedAs: x['copiedAs'] } : {}),
      };
    }),
    ...(objects.length > 200 ? { more: objects.length - 200 } : {}),
  };
}

/** The plan of a route not listed (added later): `<area>.<verb>` from its URL and method. */
export function derivedPlan(method: string, url: string): AuditPlan {
  const segments = url
    .replace(/^\/v1\//, '')
    .split('/')
    .filter((s) => s !== '');
  const area = (segments[0] ?? 'unknown').replace(/ies$/, 'y').replace(/s$/, '');
  const last = segments[segments.length - 1] ?? '';
  const verb =
    segments.length > 1 && !last.startsWith(':')
      ? last
      : ((
          { POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' } as Record<
            string,
            string
          >
        )[method] ?? method.toLowerCase());
  const idParam = segments.find((s) => s.startsWith(':'));
  return {
    action: `${area}.${verb}`,
    ...(idParam ? { object: param(area, idParam.slice(1)) } : {}),
  };
}
