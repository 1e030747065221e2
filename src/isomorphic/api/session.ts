// What signing in (POST /v1/session) and GET /v1/session answer. The schema the console's
// SessionInfo is inferred from, and the server's SessionView (src/api/sessions.ts) too;
// test/api/answer-schemas.test.ts holds the server to it.
import { z } from 'zod';
import { actorSchema } from '../../access/api-schemas.ts';

export const sessionInfoSchema = z
  .object({
    /** Who the session stands for (a person or an API key). */
    actor: actorSchema,
    /** The actor's name (the console's shell shows it). */
    name: z.string(),
    /** The sandboxes its grants reach (['*']: every one). */
    sandboxes: z.array(z.string()),
    /** Sent back as x-csrf-token on every request but GET and HEAD. */
    csrfToken: z.string(),
    expiresAt: z.string(),
    /** How the session was opened. */
    via: z.enum(['key', 'password', 'sso']),
  })
  .strict();
