// The expression editor's routes: POST /v1/expressions/validate and /complete. The schemas the
// console's expression editor takes its types from; the routes type their replies with them and
// test/api/answer-schemas-content.test.ts parses real answers with them.
import { z } from 'zod';

/** A finding with its place in the source (src/expr/errors.ts). */
export const expressionDiagnosticSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    offset: z.number().int(),
    length: z.number().int(),
    expected: z.string().optional(),
    found: z.string().optional(),
  })
  .strict();

/** POST /v1/expressions/validate: the inferred type and what it reads, or the findings. */
export const expressionValidateAnswer = z.discriminatedUnion('valid', [
  z
    .object({
      valid: z.literal(true),
      /** 'boolean', 'string', 'decimal', 'listObject', ... ('any' when unknown). */
      type: z.string(),
      references: z
        .object({
          events: z.array(z.string()),
          actions: z.array(z.string()),
          audiences: z.array(z.string()),
        })
        .strict(),
      diagnostics: z.array(expressionDiagnosticSchema).max(0),
    })
    .strict(),
  z.object({ valid: z.literal(false), diagnostics: z.array(expressionDiagnosticSchema) }).strict(),
]);

export const expressionCompletionSchema = z
  .object({
    label: z.string(),
    kind: z.enum([
      'field',
      'function',
      'keyword',
      'event',
      'action',
      'dataSource',
      'audience',
      'method',
      'reference',
    ]),
    /** Text that replaces source[from, cursor). */
    insertText: z.string(),
    detail: z.string().optional(),
    from: z.number().int(),
  })
  .strict();

/** POST /v1/expressions/complete. */
export const expressionCompleteAnswer = z
  .object({ completions: z.array(expressionCompletionSchema) })
  .strict();
