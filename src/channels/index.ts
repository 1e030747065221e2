// Channel adapters behind ports (./ports.ts). A dispatcher builds one transport per channel
// configuration with `createChannelTransport`, calls `send`, and maps the result with `outcomeOf`.
import type {
  ChannelConfiguration,
  EmailConfiguration,
  PushConfiguration,
  SmsConfiguration,
} from '../model/channel-configuration.ts';
import type { EmailTransport, PushTransport, SmsTransport } from './ports.ts';
import { createSmtpTransport } from './email/smtp-transport.ts';
import { createPushTransport } from './push/index.ts';
import { createTwilioTransport } from './sms/twilio.ts';
import type { OutboundPolicy } from './outbound/index.ts';

export * from './ports.ts';

export type ChannelTransport =
  | {
      readonly channel: 'email';
      readonly config: EmailConfiguration;
      readonly transport: EmailTransport;
    }
  | {
      readonly channel: 'push';
      readonly config: PushConfiguration;
      readonly transport: PushTransport;
    }
  | {
      readonly channel: 'sms';
      readonly config: SmsConfiguration;
      readonly transport: SmsTransport;
    };

/**
 * A transport for a (decrypted) channel configuration, connecting only where the sandbox's
 * outbound policy allows. Close it when the configuration changes.
 */
export function createChannelTransport(
  config: ChannelConfiguration,
  options: { readonly outbound: OutboundPolicy },
): ChannelTransport {
  switch (config.channel) {
    case 'email':
      return { channel: 'email', config, transport: createSmtpTransport(config, options) };
    case 'push':
      return { channel: 'push', config, transport: createPushTransport(config, options) };
    case 'sms':
      return { channel: 'sms', config, transport: createTwilioTransport(config.twilio, options) };
    default: {
      const never: never = config;
      return never;
    }
  }
}
