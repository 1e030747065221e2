// What each route that predates access control needs, by method and URL pattern (as Fastify
// registers it). New routes say it in their own config (`config: { permission }`); a route in
// neither place makes the server refuse to start (src/api/access.ts), so nothing is reachable by
// omission. Personal data (profiles, their events, memberships and journey instances, audience
// members, dead letters holding event payloads) needs profiles.read; messages' bodies need
// messages.content; read-only tools (validate, check, compile) need the view of what they look at.
import { objectPermission, type RouteRequirement } from '../access/permissions.ts';
import { objectKinds } from '../runtime/object-kinds.ts';

type Table = Record<string, RouteRequirement>;

/** The CRUD, references and archive routes every stored kind gets (objects.ts, references.ts). */
function objectRoutes(): Table {
  const out: Table = {};
  for (const { kind, route } of objectKinds) {
    const view = objectPermission(kind, 'view');
    const manage = objectPermission(kind, 'manage');
    const base = `/v1/${route}`;
    out[`GET ${base}`] = view;
    out[`GET ${base}/:key`] = view;
    out[`POST ${base}`] = manage;
    out[`PUT ${base}/:key`] = manage;
    out[`DELETE ${base}/:key`] = objectPermission(kind, 'delete');
    out[`GET ${base}/:key/references`] = view;
    // Archiving hides an object from new uses and keeps it: an edit, not a deletion.
    out[`POST ${base}/:key/archive`] = manage;
    out[`POST ${base}/:key/unarchive`] = manage;
  }
  return out;
}

const journeys: Table = {
  'GET /v1/journeys': 'journeys.view',
  'POST /v1/journeys': 'journeys.manage',
  'GET /v1/journeys/:id': 'journeys.view',
  'PUT /v1/journeys/:id': 'journeys.manage',
  'DELETE /v1/journeys/:id': 'journeys.delete',
  'POST /v1/journeys/:id/validate': 'journeys.view',
  'GET /v1/journeys/:id/versions': 'journeys.view',
  'POST /v1/journeys/:id/versions': 'journeys.manage',
  // The lifecycle: what makes a journey reach (or stop reaching) people.
  'POST /v1/journeys/:id/publish': 'journeys.publish',
  'POST /v1/journeys/:id/pause': 'journeys.publish',
  'POST /v1/journeys/:id/resume': 'journeys.publish',
  'POST /v1/journeys/:id/close': 'journeys.publish',
  'POST /v1/journeys/:id/stop': 'journeys.publish',
  'POST /v1/journeys/:id/test-mode': 'journeys.publish',
  // Reports are counts, not people.
  'GET /v1/journeys/:id/report': 'journeys.view',
  'GET /v1/journeys/:id/report/timeline': 'journeys.view',
  'GET /v1/journeys/:id/dependencies': 'journeys.view',
  // Instances name the profiles in a journey and their paths.
  'GET /v1/journeys/:id/instances': 'profiles.read',
  // Test runs move synthetic test profiles only.
  'GET /v1/journeys/:id/test-runs': 'journeys.view',
  'GET /v1/journeys/:id/test-runs/:runId': 'journeys.view',
  'POST /v1/journeys/:id/test-runs/events': 'journeys.manage',
  'POST /v1/journeys/:id/test-runs/:runId/replay': 'journeys.manage',
};

const content: Table = {
  'PUT /v1/assets/:id/content': 'content.manage',
  'GET /v1/asset-library': 'content.view',
  'GET /v1/asset-library/:id/renditions': 'content.view',
  'GET /v1/personalization/tree': 'content.view',
  'GET /v1/personalization/helpers': 'content.view',
  'POST /v1/personalization/validate': 'content.view',
  'POST /v1/personalization/complete': 'content.view',
  'GET /v1/translation-providers': 'content.view',
  'GET /v1/translation-projects': 'content.view',
  'GET /v1/translation-projects/:id': 'content.view',
  'POST /v1/translation-projects': 'content.manage',
  'POST /v1/translation-projects/:id/targets/:locale/approve': 'content.manage',
  'POST /v1/translation-projects/:id/targets/:locale/publish': 'content.manage',
  'POST /v1/content/check': 'content.view',
  'POST /v1/content/to-code': 'content.view',
  'POST /v1/content/from-code': 'content.view',
  'POST /v1/content/compile-preview': 'content.view',
  'POST /v1/render': 'content.view',
  'POST /v1/render/template-edit': 'content.view',
  // A proof leaves the server: sending one is an act of the content's authors.
  'POST /v1/render/proof': 'content.manage',
};

const data: Table = {
  'POST /v1/events': 'events.ingest',
  // A decision reads a profile's attributes and audiences (its answer and a simulation reveal them).
  'POST /v1/decisions': 'profiles.read',
  // Propositions name profiles.
  'GET /v1/propositions': 'profiles.read',
  // Counts only (no profile), over the offer's propositions and its profiles' clicks.
  'GET /v1/propositions/report': 'content.view',
  // Dead letters hold the rejected events' payloads (personal data); replaying one ingests it.
  'GET /v1/dead-letters': 'profiles.read',
  'POST /v1/dead-letters/:id/replay': 'events.ingest',
  'GET /v1/profiles': 'profiles.read',
  'GET /v1/profiles/:namespace/:id': 'profiles.read',
  'GET /v1/profiles/:namespace/:id/events': 'profiles.read',
  'GET /v1/profiles/:namespace/:id/audiences': 'profiles.read',
  'PUT /v1/profiles/:namespace/:id': 'profiles.manage',
  'POST /v1/profiles/import': 'profiles.manage',
  'DELETE /v1/profiles/:namespace/:id': 'profiles.erase',
  // Retention is a setting, not data: anyone in the sandbox may read it.
  'GET /v1/profile-settings': 'signed-in',
  'PUT /v1/profile-settings': 'settings.manage',
  'GET /v1/messages': 'messages.content',
  'GET /v1/dev/inbox': 'messages.content',
};

const audiences: Table = {
  // The size comes with a sample of members (profiles).
  'GET /v1/audiences/:name/size': 'profiles.read',
  'GET /v1/audiences/:name/members': 'profiles.read',
  'POST /v1/audiences/:name/evaluate': 'audiences.manage',
  'PUT /v1/audiences/:name/schedule': 'audiences.manage',
  'POST /v1/audiences/:name/upload': 'audiences.manage',
  'POST /v1/audiences/from-feedback': 'audiences.manage',
  'GET /v1/audience-jobs': 'audiences.view',
};

const tools: Table = {
  'POST /v1/packages/apply': 'packages.import',
  'POST /v1/packages/plan': 'packages.import',
  'POST /v1/packages/validate': 'packages.import',
  'GET /v1/packages/export': 'packages.export',
  // Where the sandbox's actions and channels may connect: read where actions are configured.
  'GET /v1/allowed-hosts': 'actions.view',
  'POST /v1/allowed-hosts': 'settings.manage',
  'DELETE /v1/allowed-hosts/:host': 'settings.manage',
  'GET /v1/status': 'signed-in',
  // Expressions are checked and evaluated against what the caller sends, never stored data.
  'POST /v1/expressions/validate': 'signed-in',
  'POST /v1/expressions/evaluate': 'signed-in',
  'POST /v1/expressions/complete': 'signed-in',
};

/** Every route registered before access control, with its requirement. */
export const ROUTE_PERMISSIONS: Readonly<Table> = {
  ...objectRoutes(),
  ...journeys,
  ...content,
  ...data,
  ...audiences,
  ...tools,
};

/** The table's requirement for a route; HEAD routes are their GET's. */
export function tabledRequirement(method: string, url: string): RouteRequirement | undefined {
  return ROUTE_PERMISSIONS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
