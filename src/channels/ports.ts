// Channel ports: what an outbox dispatcher calls. Every adapter answers with a classified result
// (never throws for a provider's answer), so the dispatcher decides: mark sent, retry later with
// backoff, mark bounced / the address undeliverable, or remove a device token.
//
// Idempotency: every message carries the outbox's idempotency key. Adapters derive provider-side
// ids from it (SMTP Message-ID, APNs apns-id, Twilio's I-Twilio-Idempotency-Token) so a retried
// send is recognisable downstream.

// ---------------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------------

export interface EmailAddress {
  readonly address: string;
  readonly name?: string;
}

export interface EmailMessage {
  /** The outbox idempotency key; the Message-ID is derived from it. */
  readonly idempotencyKey: string;
  readonly from: EmailAddress;
  readonly to: EmailAddress;
  readonly replyTo?: EmailAddress;
  readonly subject: string;
  readonly html: string;
  readonly text?: string;
  /** Extra headers (the channel configuration's, then the message's). */
  readonly headers?: Readonly<Record<string, string>>;
  /** One-click unsubscribe (RFC 8058): an https URL that accepts POST `List-Unsubscribe=One-Click`. */
  readonly listUnsubscribe?: { readonly url: string; readonly mailto?: string };
}

export type EmailSendResult =
  | { readonly kind: 'sent'; readonly messageId: string; readonly response: string }
  /** 4xx, connection refused, timeouts (SMTP); 429 and 5xx (HTTP APIs): retry later with backoff. */
  | {
      readonly kind: 'temporaryFailure';
      readonly code?: number;
      readonly message: string;
      /** An HTTP API's Retry-After. */
      readonly retryAfterMs?: number;
    }
  /** 5xx: the address is undeliverable; never retry. */
  | {
      readonly kind: 'bounced';
      readonly code?: number;
      readonly message: string;
      readonly address: string;
    }
  /** Permanent for this message (the configuration's fault, e.g. a host the outbound policy refuses); never retry. */
  | { readonly kind: 'failed'; readonly message: string };

export interface EmailTransport {
  send(message: EmailMessage): Promise<EmailSendResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Push
// ---------------------------------------------------------------------------------------------

export const PushPlatform = { Apns: 'apns', Fcm: 'fcm', WebPush: 'webpush' } as const;
export type PushPlatform = (typeof PushPlatform)[keyof typeof PushPlatform];

export interface PushMessage {
  readonly idempotencyKey: string;
  readonly platform: PushPlatform;
  readonly deviceToken: string;
  readonly title: string;
  readonly body: string;
  /** Custom key/value data delivered to the app (FCM requires strings; we stringify). */
  readonly data?: Readonly<Record<string, string>>;
  readonly badge?: number;
  readonly sound?: string;
  /** Seconds the provider may keep trying to deliver; 0 = now or never. */
  readonly ttlSeconds?: number;
  readonly collapseKey?: string;
  /** Web Push: the subscription's keys (the device token is its endpoint URL). */
  readonly webPushKeys?: WebPushKeys;
}

/** A browser subscription's keys (PushSubscription.toJSON().keys), base64url. */
export interface WebPushKeys {
  /** The browser's P-256 ECDH public key. */
  readonly p256dh: string;
  /** The 16-byte authentication secret. */
  readonly auth: string;
}

export type PushSendResult =
  | { readonly kind: 'sent'; readonly providerMessageId: string }
  /** The provider says this token is dead: remove it from the profile. */
  | { readonly kind: 'invalidToken'; readonly reason: string; readonly status: number }
  | {
      readonly kind: 'temporaryFailure';
      readonly reason: string;
      readonly status?: number;
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly status?: number };

export interface PushTransport {
  send(message: PushMessage): Promise<PushSendResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// SMS
// ---------------------------------------------------------------------------------------------

export interface SmsMessage {
  readonly idempotencyKey: string;
  /** E.164, e.g. +14155550100. */
  readonly to: string;
  readonly body: string;
  /** Overrides the configuration's sender. */
  readonly from?: string;
  readonly statusCallbackUrl?: string;
}

export type SmsSendResult =
  | { readonly kind: 'sent'; readonly providerMessageId: string; readonly status: string }
  /** The number cannot receive SMS (invalid, landline): mark it undeliverable. */
  | { readonly kind: 'invalidAddress'; readonly reason: string; readonly providerCode?: number }
  /** The recipient replied STOP at the provider: record the consent change. */
  | { readonly kind: 'optedOut'; readonly reason: string; readonly providerCode?: number }
  /** `maybeSent`: the request left but no answer came (the provider has no idempotency key for messages). */
  | {
      readonly kind: 'temporaryFailure';
      readonly reason: string;
      readonly status?: number;
      readonly retryAfterMs?: number;
      readonly maybeSent?: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly status?: number;
      readonly providerCode?: number;
    };

export interface SmsTransport {
  send(message: SmsMessage): Promise<SmsSendResult>;
  close(): Promise<void>;
}

/** What a channel result means for the dispatcher: one exhaustive mapping for every channel. */
export const DeliveryOutcome = {
  Sent: 'sent',
  Retry: 'retry',
  Bounced: 'bounced',
  InvalidAddress: 'invalidAddress',
  OptedOut: 'optedOut',
  Failed: 'failed',
} as const;
export type DeliveryOutcome = (typeof DeliveryOutcome)[keyof typeof DeliveryOutcome];

export function outcomeOf(
  result: EmailSendResult | PushSendResult | SmsSendResult,
): DeliveryOutcome {
  switch (result.kind) {
    case 'sent':
      return DeliveryOutcome.Sent;
    case 'temporaryFailure':
      return DeliveryOutcome.Retry;
    case 'bounced':
      return DeliveryOutcome.Bounced;
    case 'invalidToken':
    case 'invalidAddress':
      return DeliveryOutcome.InvalidAddress;
    case 'optedOut':
      return DeliveryOutcome.OptedOut;
    case 'failed':
      return DeliveryOutcome.Failed;
    default: {
      const never: never = result;
      return never;
    }
  }
}
