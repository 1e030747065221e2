// The service worker's report of a notification click (POST /v1/push/interactions), built as
// plain data from what the page stored for it (./push-config.ts). Pure: tested without a browser.
import { buildRequest, type BuiltRequest } from './http.ts';
import type { Identity } from './identity.ts';

export interface PushReportConfig {
  /** Absolute: the worker resolves nothing against the page. */
  readonly baseUrl: string;
  readonly writeKey: string;
  readonly sandbox?: string;
  /** null: nobody is signed in, nothing is reported. */
  readonly identity: Identity | null;
}

/** The key of a notification's data that names Waymark's message (src/runtime/push-interactions.ts). */
export const PUSH_MESSAGE_ID_KEY = 'waymarkMessageId';

/**
 * The report of a notification click: `opened` when its body was clicked, `clicked` with the
 * action's id when one of its actions was. null when there is nothing to report (not Waymark's
 * notification, nobody signed in, no configuration).
 */
export function pushInteractionRequest(
  config: PushReportConfig | null,
  data: unknown,
  action: string,
): BuiltRequest | null {
  const messageId =
    typeof data === 'object' && data !== null
      ? (data as Record<string, unknown>)[PUSH_MESSAGE_ID_KEY]
      : undefined;
  if (typeof messageId !== 'string' || messageId === '' || !config?.identity) return null;
  const { namespace, id } = config.identity;
  return buildRequest(
    {
      baseUrl: config.baseUrl,
      writeKey: config.writeKey,
      ...(config.sandbox === undefined ? {} : { sandbox: config.sandbox }),
    },
    'POST',
    '/v1/push/interactions',
    action === ''
      ? { namespace, id, messageId, interaction: 'opened' }
      : { namespace, id, messageId, interaction: 'clicked', action: action.slice(0, 100) },
  );
}
