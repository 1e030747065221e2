// A webhook subscription: the events of a sandbox (message feedback, journey events) POSTed to a
// URL as they commit, signed with the subscription's secret (HMAC-SHA256, docs/webhooks.md),
// retried with backoff on 5xx, 429 and timeouts, given up after `maxAttempts`. The URL's host
// must be one of the sandbox's allowed hosts, like a custom action's.
import { z } from 'zod';
import { objectKeySchema } from './common.ts';

/** The events a subscription may ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.failed',
  'message.bounced',
  'message.complained',
  'message.opened',
  'message.clicked',
  'message.unsubscribed',
  'journey.entered',
  'journey.exited',
  'journey.activity',
  'journey.timeout',
  'journey.error',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An event type, or a family (`message.*`, `journey.*`), or every event (`*`). */
export const webhookEventFilterSchema = z.enum([
  ...WEBHOOK_EVENT_TYPES,
  'message.*',
  'journey.*',
  '*',
]);

/** The fields that hold secrets (stored encrypted, answered redacted). */
export const webhookSecretPaths: readonly string[] = ['secret'];

export const webhookSchema = z
  .object({
    id: objectKeySchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2_000).optional(),
    url: z
      .string()
      .max(2_000)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'an http or https URL')
      .describe('Where deliveries are POSTed; its host must be one of the sandbox allowed hosts.'),
    secret: z
      .string()
      .min(16)
      .max(200)
      .describe(
        'Signs every delivery (Waymark-Signature: t=…,v1=HMAC-SHA256(secret, t + "." + body)); stored encrypted, answered redacted.',
      ),
    events: z
      .array(webhookEventFilterSchema)
      .min(1)
      .max(30)
      .describe('The events delivered: types, families (message.*, journey.*) or *.'),
    journeys: z
      .array(objectKeySchema)
      .max(100)
      .optional()
      .describe('Only the events of these journeys (message and journey events); absent: all.'),
    enabled: z.boolean().default(true),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(20)
      .default(8)
      .describe('Attempts before a delivery is given up and shown as failed.'),
    timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  })
  .meta({ title: 'Webhook subscription' });
export type Webhook = z.infer<typeof webhookSchema>;
export type WebhookInput = z.input<typeof webhookSchema>;

/** Whether a subscription's filters take an event type. */
export function webhookWants(events: readonly string[], type: string): boolean {
  return events.some(
    (f) => f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1))),
  );
}
