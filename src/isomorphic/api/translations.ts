// Translation projects and providers: GET /v1/translation-providers, GET /v1/translation-projects
// (and /:id), POST /v1/translation-projects (202) and the review flow (approve, publish). The
// schemas the console's types are inferred from; test/api/answer-schemas-translations.test.ts holds
// the server to them.
import { z } from 'zod';

/** A provider as the API shows it: never its key or endpoint. The default comes first. */
export const translationProviderSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['development', 'azure', 'deepl']),
    /** The development translator: its output is not a real translation. */
    development: z.boolean(),
    default: z.boolean(),
  })
  .strict();

export const translationProviderListAnswer = z
  .object({ items: z.array(translationProviderSchema) })
  .strict();

export const translationStatusSchema = z.enum([
  'in_progress',
  'ready_for_review',
  'reviewed',
  'completed',
  'failed',
]);

export const translationTargetSchema = z
  .object({
    locale: z.string(),
    status: translationStatusSchema,
    /** Why the locale failed (the provider's answer), when it did. */
    error: z.string().optional(),
    /** Calls made to the provider for this locale (retries included). */
    attempts: z.number().int(),
  })
  .strict();

export const translationSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('content-template'), key: z.string(), name: z.string().optional() })
    .strict(),
  z
    .object({
      kind: z.literal('content'),
      channel: z.enum(['email', 'push', 'sms', 'inApp', 'code']),
    })
    .strict(),
]);

export const translationProjectSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: translationStatusSchema,
    provider: z.string(),
    source: translationSourceSchema,
    languageSettings: z.string(),
    sourceLocale: z.string(),
    review: z.boolean(),
    targets: z.array(translationTargetSchema),
    /**
     * The translated locale variants so far, by locale: each a variant of the source's channel
     * (src/model/message-content.ts; the service types them unknown, so does this schema); the
     * console merges inline content's into its draft.
     */
    result: z
      .object({ locales: z.record(z.string(), z.unknown()) })
      .strict()
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();

export const translationProjectListAnswer = z
  .object({ items: z.array(translationProjectSchema) })
  .strict();

/** POST /v1/translation-projects (202) and the approve and publish steps. */
export const translationProjectAnswer = z.object({ project: translationProjectSchema }).strict();
