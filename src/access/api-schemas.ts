// The access-control API as zod schemas, written once: the routes validate bodies with them, the
// types of what the routes answer are inferred from them (api-types.ts), and the console imports
// both through @waymark/shared/api/access.ts. test/api/answer-schemas.test.ts parses what a real
// server answers with the answer schemas, so they cannot drift from the routes.
import { z } from 'zod';
import { PERMISSIONS } from './permissions.ts';
import { campaignApprovalPolicySchema } from '../campaign/approval-policy.ts';
import { namedApproversSchema } from './approval-decision.ts';

// ---- Bodies the routes validate (POST, PUT, PATCH) ----

const roleName = z.string().min(1).max(64);
const sandboxNames = z.array(z.string().min(1).max(64)).min(1).max(100);
const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^@\s]+@[^@\s]+$/, 'an email address');

/** A role held in some sandboxes (['*'] for all). */
export const roleAssignmentBody = z.object({ role: roleName, sandboxes: sandboxNames }).strict();

/** POST /v1/users: an active user with a password. */
export const userCreateBody = z
  .object({
    email,
    name: z.string().trim().max(100).optional(),
    password: z.string().max(1024),
    roles: z.array(roleAssignmentBody).max(50),
  })
  .strict();
/** POST /v1/users/invitations. */
export const userInviteBody = z
  .object({
    email,
    name: z.string().trim().max(100).optional(),
    roles: z.array(roleAssignmentBody).max(50),
  })
  .strict();
/** PATCH /v1/users/:id. */
export const userPatchBody = z
  .object({
    name: z.string().trim().max(100).optional(),
    roles: z.array(roleAssignmentBody).max(50).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();

/** PUT /v1/roles/:name: a custom role. */
export const roleBody = z
  .object({
    /** Optional: the path names the role; when sent it must agree. */
    name: z.string().optional(),
    title: z.string().trim().min(1).max(100),
    description: z.string().max(1000).default(''),
    permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length * 2),
    labels: z.array(z.string().min(1).max(64)).max(100).default([]),
  })
  .strict();

/** POST /v1/api-keys. */
export const apiKeyCreateBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleName,
    sandboxes: sandboxNames,
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
/** POST /v1/api-keys/:id/rotate. */
export const apiKeyRotateBody = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(90 * 24 * 3600)
      .optional(),
  })
  .strict();

/** POST /v1/sandboxes. */
export const sandboxCreateBody = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,62}$/,
        'a lowercase letter first, then lowercase letters, digits and - (at most 63)',
      ),
    title: z.string().trim().min(1).max(120).optional(),
    type: z.enum(['production', 'development']).default('development'),
  })
  .strict();
/** POST /v1/sandboxes/:name/reset and DELETE: the name typed again. */
export const sandboxConfirmBody = z.object({ confirm: z.string() }).strict();
/** PUT /v1/sandboxes/:name/settings. */
export const sandboxSettingsBody = z
  .object({
    /** Experience events older than this many days are purged, hourly; null keeps them. */
    retentionDays: z.number().int().min(1).max(3650).nullable(),
    /** The other retention periods (days; null keeps them), purged in the background in small batches; absent: unchanged. */
    retention: z
      .object({
        /** The delivery log (messages), by when the message was created. */
        messages: z.number().int().min(1).max(3650).nullable(),
        deadLetters: z.number().int().min(1).max(3650).nullable(),
        /** This sandbox's audit entries (WAYMARK_AUDIT_RETENTION_DAYS applies to every entry as well). */
        audit: z.number().int().min(1).max(3650).nullable(),
      })
      .partial()
      .strict()
      .optional(),
    /** Publishing a journey needs an approval by someone else with journeys.publish. */
    approvals: z
      .object({
        journeyPublish: z.boolean(),
        /** Only these users (ids or emails) and roles approve journeys; anyone with journeys.publish when empty. */
        journeyApprovers: namedApproversSchema.default({ users: [], roles: [] }),
        /** Campaign approval policies, oldest first (none: campaigns activate directly). */
        campaigns: z.array(campaignApprovalPolicySchema).max(50).default([]),
      })
      .strict(),
    /** The Assistant here: whether it uses the configured model, whether personal data may reach it; absent: unchanged. */
    assistant: z
      .object({ model: z.boolean(), personalData: z.boolean() })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

// ---- What the routes answer ----

const instant = z.string();

export const actorSchema = z
  .object({ kind: z.enum(['user', 'key', 'operator', 'system']), id: z.string(), name: z.string() })
  .strict();

/** A role held in some sandboxes, as answered. */
export const roleAssignmentSchema = z
  .object({ role: z.string(), sandboxes: z.array(z.string()) })
  .strict();

export const userViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    /** 'invited' until the invitation is accepted; 'disabled' cannot sign in. */
    status: z.enum(['invited', 'active', 'disabled']),
    roles: z.array(roleAssignmentSchema),
    /** Signed in through single sign-on (its roles follow the identity provider's groups). */
    sso: z.boolean(),
    createdAt: instant,
    updatedAt: instant,
    lastSignInAt: instant.nullable(),
  })
  .strict();

export const roleViewSchema = z
  .object({
    /** Lowercase letters, digits and '-'. */
    name: z.string(),
    title: z.string(),
    description: z.string(),
    permissions: z.array(z.enum(PERMISSIONS)),
    /** Access labels the role may see and change objects under; ['*'] for all. */
    labels: z.array(z.string()),
    builtIn: z.boolean(),
    /** How many users and keys hold it. */
    holders: z.number().int(),
  })
  .strict();

export const apiKeyViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The key's first characters (`wmk_AbCd`), to recognise it; the key itself is never shown again. */
    prefix: z.string(),
    role: z.string(),
    sandboxes: z.array(z.string()),
    createdBy: actorSchema,
    createdAt: instant,
    expiresAt: instant.nullable(),
    lastUsedAt: instant.nullable(),
    revokedAt: instant.nullable(),
    /** Set on a key that was rotated: its successor, and when this one stops working. */
    rotatedTo: z.string().nullable(),
  })
  .strict();

/** POST /v1/api-keys and rotate: the key, once. */
export const apiKeyCreatedSchema = apiKeyViewSchema.extend({ key: z.string() }).strict();

export const sandboxSettingsSchema = z
  .object({
    retentionDays: z.number().int().nullable(),
    retention: z
      .object({
        messages: z.number().int().nullable(),
        deadLetters: z.number().int().nullable(),
        audit: z.number().int().nullable(),
      })
      .strict(),
    approvals: z
      .object({
        journeyPublish: z.boolean(),
        journeyApprovers: z
          .object({ users: z.array(z.string()), roles: z.array(z.string()) })
          .strict(),
        campaigns: z.array(campaignApprovalPolicySchema),
      })
      .strict(),
    /**
     * The Assistant: `model`, whether it uses the configured model (if any); `personalData`, whether
     * personal data may reach it. Until changed here: WAYMARK_AI_SANDBOXES and
     * WAYMARK_AI_PERSONAL_DATA_SANDBOXES.
     */
    assistant: z.object({ model: z.boolean(), personalData: z.boolean() }).strict(),
  })
  .strict();

export const sandboxViewSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    type: z.enum(['production', 'development']),
    createdAt: instant,
    createdBy: actorSchema,
    settings: sandboxSettingsSchema,
  })
  .strict();

/** GET /v1/me: the caller, what it may do in the request's sandbox, and where it may go. */
export const meViewSchema = z
  .object({
    actor: actorSchema,
    /** The actor's name again (the console's shell shows it beside the actor). */
    name: z.string(),
    via: z.enum(['key', 'session']),
    sandbox: z.string(),
    sandboxes: z.array(sandboxViewSchema.pick({ name: true, title: true, type: true }).strict()),
    roles: z.array(z.string()),
    permissions: z.array(z.enum(PERMISSIONS)),
    labels: z.union([z.literal('*'), z.array(z.string())]),
  })
  .strict();

/** The answer of a list route: `{ items: [...] }`. */
export const listAnswer = <S extends z.ZodType>(item: S) =>
  z.object({ items: z.array(item) }).strict();

export const userListAnswer = listAnswer(userViewSchema);
export const roleListAnswer = listAnswer(roleViewSchema);
export const apiKeyListAnswer = listAnswer(apiKeyViewSchema);
export const sandboxListAnswer = listAnswer(sandboxViewSchema);

// ---- The audit log, approvals and quick search ----

export const auditChangeSchema = z
  .object({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() })
  .strict();

/** One audited change (GET /v1/audit-log, and each line of its export). */
export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: instant,
    /** null for changes outside any sandbox (users, roles, keys). */
    sandbox: z.string().nullable(),
    actor: actorSchema,
    /** `<area>.<verb>`: 'object.create', 'journey.publish', 'key.revoke', 'sandbox.reset', 'profile.erase', ... */
    action: z.string(),
    object: z
      .object({ kind: z.string(), key: z.string(), name: z.string().optional() })
      .strict()
      .nullable(),
    /** What changed, secrets redacted. */
    changes: z.array(auditChangeSchema),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** GET /v1/audit-log: a page, newest first; `next` is the `before` of the following page. */
export const auditPageAnswer = z
  .object({ items: z.array(auditEntrySchema), next: z.string().nullable() })
  .strict();

/** A request to publish a journey version, and its decision. */
export const approvalViewSchema = z
  .object({
    id: z.string(),
    sandbox: z.string(),
    object: z
      .object({
        kind: z.enum(['journey', 'campaign']),
        id: z.string(),
        /** A journey's version; a campaign's revision when it was sent for approval. */
        version: z.number().int(),
        name: z.string(),
      })
      .strict(),
    /** A campaign request: the policy that applied when it was made. */
    policy: z.object({ name: z.string(), allowSelfApproval: z.boolean() }).strict().optional(),
    /** The approvers named when it was requested: only they decide it (absent: anyone with the permission). */
    approvers: z
      .object({ users: z.array(z.string()), roles: z.array(z.string()) })
      .strict()
      .optional(),
    status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
    requestedBy: actorSchema,
    requestedAt: instant,
    comment: z.string().nullable(),
    decidedBy: actorSchema.nullable(),
    decidedAt: instant.nullable(),
    decisionComment: z.string().nullable(),
  })
  .strict();

export const approvalListAnswer = listAnswer(approvalViewSchema);

/** GET /v1/approvals/notifications: what waits for the caller, and the caller's requests decided. */
export const approvalNotificationsAnswer = z
  .object({
    waitingForYou: z.array(approvalViewSchema),
    yourRequestsDecided: z.array(approvalViewSchema),
  })
  .strict();

/** One quick-search result (GET /v1/search). */
export const searchHitSchema = z
  .object({
    kind: z.string(),
    /** What the kind is called on screen: 'Journey', 'Fragment', 'Profile', ... */
    kindTitle: z.string(),
    id: z.string(),
    name: z.string(),
    status: z.string().optional(),
    /** The console page to jump to. */
    path: z.string(),
  })
  .strict();

export const searchAnswer = listAnswer(searchHitSchema);

// ---- Invitations, access labels, allowed hosts ----

/** POST /v1/users/invitations (201): the user; without an email channel, the link to pass on. */
export const invitationAnswer = z.discriminatedUnion('emailed', [
  z.object({ user: userViewSchema, emailed: z.literal(true) }).strict(),
  z
    .object({
      user: userViewSchema,
      emailed: z.literal(false),
      /** One use, 7 days: give it to the person privately. */
      acceptUrl: z.string(),
      warning: z.string(),
    })
    .strict(),
]);

/** A label carried by journeys and objects the caller may see. */
export const labelInUseSchema = z
  .object({
    label: z.string(),
    /** Journeys and objects carrying it. */
    count: z.number().int(),
    /** Per kind ('journey', 'fragment', ...). */
    kinds: z.record(z.string(), z.number().int()),
  })
  .strict();

/** GET /v1/labels: the labels in use (counted over what the caller sees) and those it holds. */
export const labelsAnswer = z
  .object({
    inUse: z.array(labelInUseSchema),
    held: z.union([z.literal('*'), z.array(z.string())]),
  })
  .strict();

/** GET, POST and DELETE /v1/allowed-hosts: the operator's list and the sandbox's own. */
export const allowedHostsAnswer = z
  .object({ operator: z.array(z.string()), sandbox: z.array(z.string()) })
  .strict();
