// The delivery log (GET /v1/messages) and the development inbox (GET /v1/dev/inbox). The schemas the
// console's types are inferred from; test/api/answer-schemas.test.ts holds the server to them.
import { z } from 'zod';

/** One message as the delivery log holds it: rendered subject and body, status and reason. */
export const messageSchema = z
  .object({
    id: z.string(),
    sandbox: z.string(),
    /** Null for messages sent outside a journey (proofs, campaigns). */
    journeyId: z.string().nullable(),
    version: z.number().int().nullable(),
    node: z.string().nullable(),
    label: z.string(),
    instanceId: z.string().nullable(),
    profileId: z.string(),
    channel: z.enum(['email', 'push', 'sms', 'inApp', 'code']),
    recipient: z.string().nullable(),
    status: z.enum(['queued', 'sent', 'delivered', 'bounced', 'failed', 'excluded']),
    /** Why it was excluded or failed. */
    reason: z.string().nullable(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    text: z.string().nullable(),
    /** What the channel sent (links, push payload, provider ids). */
    payload: z.record(z.string(), z.unknown()),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .strict();

export const messageListAnswer = z.object({ items: z.array(messageSchema) }).strict();

/** A mail the embedded SMTP server received. */
export const devMailSchema = z
  .object({
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    /** Lower-case header names. */
    headers: z.record(z.string(), z.string()),
    messageId: z.string(),
    receivedAt: z.string(),
  })
  .strict();

export const devPushSchema = z
  .object({
    platform: z.enum(['apns', 'fcm']),
    id: z.string(),
    deviceToken: z.string(),
    payload: z.unknown(),
    receivedAt: z.string(),
  })
  .strict();

export const devSmsSchema = z
  .object({
    sid: z.string(),
    accountSid: z.string(),
    from: z.string(),
    to: z.string(),
    body: z.string(),
    receivedAt: z.string(),
  })
  .strict();

/** GET /v1/dev/inbox: what this sandbox sent to the development providers, and its sent messages. */
export const devInboxAnswer = z
  .object({
    email: z.array(devMailSchema),
    push: z.array(devPushSchema),
    sms: z.array(devSmsSchema),
    items: z.array(messageSchema),
  })
  .strict();
