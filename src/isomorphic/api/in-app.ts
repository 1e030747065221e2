// The answers of the in-app client routes (src/api/routes/in-app.ts), which the site's SDK reads.
import { z } from 'zod';

const button = z
  .object({
    id: z.string(),
    label: z.string(),
    action: z.enum(['url', 'dismiss']),
    url: z.string().optional(),
  })
  .strict();

export const inAppMessageItemSchema = z
  .object({
    messageId: z.string(),
    layout: z.enum(['modal', 'banner', 'fullscreen']),
    title: z.string(),
    body: z.string(),
    imageUrl: z.string().optional(),
    buttons: z.array(button),
  })
  .strict();

/** POST /v1/inapp/messages/query */
export const inAppQueryAnswer = z.object({ items: z.array(inAppMessageItemSchema) }).strict();
/** POST /v1/inapp/interactions */
export const inAppInteractionAnswer = z.object({ recorded: z.literal(true) }).strict();
/** POST /v1/push/interactions (an app's push opens and clicks: the same answer) */
export const pushInteractionAnswer = inAppInteractionAnswer;
/** POST /v1/experiences/query */
export const experienceQueryAnswer = z
  .object({
    items: z.array(
      z
        .object({
          surface: z.string(),
          format: z.enum(['html', 'json']),
          content: z.string(),
          messageId: z.string(),
        })
        .strict(),
    ),
  })
  .strict();
