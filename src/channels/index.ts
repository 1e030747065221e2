// Channel adapters behind ports (./ports.ts). A dispatcher builds one transport per channel
// configuration with `createChannelTransport`, calls `send`, and maps the result with `outcomeOf`.
import type { ChannelConfiguration, EmailConfiguration, PushConfiguration, SmsConfiguration } from '../model/channel-configuration.ts';
import type { EmailTransport, PushTransport, SmsTransport } from './ports.ts';
import { createSmtpTransport } from './email/smtp-transport.ts';
import { createPushTransport } from './push/index.ts';
import { createTwilioTransport } from './sms/twilio.ts';

export * from './ports.ts';

export type ChannelTransport =
  | { readonly channel: 'email'; readonly config: EmailConfiguration; readonly transport: EmailTransport }
  | { readonly channel: 'push'; readonly config: PushConfiguration; readonly transport: PushTransport }
  | { readonly channel: 'sms'; readonly config: SmsConfiguration; readonly transport: SmsTransport };

/** A transport for a (decrypted) channel configuration. Close it when the configuration changes. */
export function createChannelTransport(config: ChannelConfiguration): ChannelTransport {
  switch (config.channel) {
    case 'email': return { channel: 'email', config, transport: createSmtpTransport(config) };
    case 'push': return { channel: 'push', config, transport: createPushTransport(config) };
    case 'sms': return { channel: 'sms', config, transport: createTwilioTransport(config.twilio) };
    default: {
      const never: never = config;
      return never;
    }
  }
}
