// The Assistant's routes (src/api/routes/assistant.ts): what POST /v1/assistant/chat accepts and
// answers, GET /v1/assistant, and the feedback body. The route validates bodies with these; the
// console's panel infers its types from them; test/assistant/chat-api.test.ts holds the answers to them.
import { z } from 'zod';

export const chatMessageSchema = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.string().trim().min(1).max(4000),
  })
  .strict();

export const chatBodySchema = z
  .object({
    messages: z
      .array(chatMessageSchema)
      .min(1)
      .max(50)
      .refine((ms) => ms.at(-1)?.role === 'user', {
        message: 'the last message must be the user’s question (role "user")',
      }),
    conversationId: z.string().uuid().optional(),
  })
  .strict();

export const citationSchema = z.object({ title: z.string(), href: z.string() }).strict();

export const dataSetSchema = z
  .object({
    title: z.string(),
    points: z.array(z.object({ label: z.string(), value: z.number() }).strict()),
  })
  .strict();

export const chatReplySchema = z
  .object({
    answer: z.string(),
    citations: z.array(citationSchema),
    data: z.array(dataSetSchema).optional(),
    conversationId: z.string().uuid(),
    /** 'model', or without one: 'intent' (a data answer from a template) or 'docs' (passages). */
    mode: z.enum(['model', 'intent', 'docs']),
  })
  .strict();

export const assistantInfoSchema = z
  .object({
    mode: z.enum(['model', 'no-model']),
    /** Whether the server has a model at all (WAYMARK_AI_BASE_URL and WAYMARK_AI_MODEL). */
    modelConfigured: z.boolean(),
    suggestions: z.array(z.string()),
  })
  .strict();

export const feedbackBodySchema = z
  .object({
    conversationId: z.string().uuid(),
    helpful: z.boolean(),
    comment: z.string().max(2000).optional(),
  })
  .strict();
