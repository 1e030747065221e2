// Packages: POST /v1/packages/plan, /apply and /validate, GET /v1/packages/export (docs/packages.md).
// The schemas the console's types are inferred from; test/api/answer-schemas-packages.test.ts holds
// the server to them.
import { z } from 'zod';
import { conflictChoiceSchema, packageObjectSchema, packageSchema } from '../../model/package.ts';

/** A custom action or channel configuration whose host the sandbox does not allow. */
export const hostWarningSchema = z
  .object({
    code: z.literal('host_not_allowed'),
    kind: z.enum(['action', 'channelConfiguration']),
    key: z.string(),
    /** Custom actions: the action's name. */
    action: z.string().optional(),
    url: z.string(),
    host: z.string(),
    /** What to add to the sandbox's allowed hosts. */
    entry: z.string(),
    message: z.string(),
  })
  .strict();

/** A secret the package came without (redacted at export): the object fails on use until it is set. */
export const needsSecretSchema = z
  .object({ kind: z.string(), key: z.string(), path: z.string() })
  .strict();

export const objectStateSchema = z.enum(['new', 'same', 'differs']);

/** POST /v1/packages/plan: what applying would do; nothing is written. */
export const packagePlanAnswer = z
  .object({
    name: z.string(),
    objects: z.array(
      z
        .object({
          kind: z.string(),
          key: z.string(),
          state: objectStateSchema,
          choice: conflictChoiceSchema.optional(),
          copyAs: z.string().optional(),
          /** Differs only because it now names copies this apply makes: replaced. */
          usesCopies: z.boolean().optional(),
        })
        .strict(),
    ),
    warnings: z.array(hostWarningSchema),
    needsSecret: z.array(needsSecretSchema),
  })
  .strict();

export const applyStatusSchema = z.enum([
  'created',
  'updated',
  'unchanged',
  'skipped',
  'copied',
  'published',
  'publish_failed',
]);

/** POST /v1/packages/apply: per object, what was done. */
export const packageApplyAnswer = z
  .object({
    name: z.string(),
    objects: z.array(
      z
        .object({
          kind: z.string(),
          key: z.string(),
          status: applyStatusSchema,
          message: z.string().optional(),
          copiedAs: z.string().optional(),
          warnings: z.array(hostWarningSchema).optional(),
          needsSecret: z.array(z.string()).optional(),
        })
        .strict(),
    ),
    warnings: z.array(hostWarningSchema),
    needsSecret: z.array(needsSecretSchema),
  })
  .strict();

/** POST /v1/packages/validate. */
export const packageValidateAnswer = z
  .object({ valid: z.literal(true), objects: z.number().int() })
  .strict();

/** GET /v1/packages/export (JSON): the package itself, as `waymark import` reads it. */
export const packageExportAnswer = packageSchema
  .extend({ objects: z.array(packageObjectSchema.strict()) })
  .strict();
