// The personalization editor's routes: GET /v1/personalization/tree and /helpers, POST
// /v1/personalization/validate and /complete. The schemas the designer takes its types from; the
// routes type their replies with them and test/api/answer-schemas-content.test.ts parses real
// answers with them.
import { z } from 'zod';
import type { PersonalizationNode } from '../../content/personalization-tree.ts';

/** What can be inserted: groups (children) and leaves (a path to insert). */
export const personalizationNodeSchema: z.ZodType<PersonalizationNode> = z.lazy(() =>
  z
    .object({
      label: z.string(),
      path: z.string().optional(),
      type: z.string().optional(),
      help: z.string().optional(),
      children: z.array(personalizationNodeSchema).optional(),
    })
    .strict(),
);

export const personalizationTreeAnswer = z
  .object({ nodes: z.array(personalizationNodeSchema) })
  .strict();

export const helperSchema = z
  .object({
    name: z.string(),
    category: z.enum([
      'string',
      'date',
      'math',
      'array',
      'aggregation',
      'map',
      'object',
      'audience',
      'block',
      'fragment',
    ]),
    /** As written in the `{%= %}` form, with argument names and types. */
    signature: z.string(),
    help: z.string(),
    example: z.string(),
    /** A Handlebars block helper ({{#each}}…{{/each}}), not a function. */
    block: z.boolean().optional(),
  })
  .strict();

export const helperListAnswer = z.object({ items: z.array(helperSchema) }).strict();

export const personalizationDiagnosticSchema = z
  .object({
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  })
  .strict();

/** POST /v1/personalization/validate: as publication would find it. */
export const personalizationCheckAnswer = z
  .object({ valid: z.boolean(), diagnostics: z.array(personalizationDiagnosticSchema) })
  .strict();

/** POST /v1/personalization/complete: each insert replaces the source from `from` to the cursor. */
export const personalizationCompleteAnswer = z
  .object({
    from: z.number().int(),
    completions: z
      .array(z.object({ label: z.string(), insert: z.string(), detail: z.string() }).strict())
      .max(100),
  })
  .strict();
