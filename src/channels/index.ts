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
import { createSendgridTransport } from './email/sendgrid.ts';
import { createMailgunTransport } from './email/mailgun.ts';
import { createVonageTransport } from './sms/vonage.ts';
import { createPushTransport } from './push/index.ts';
import { createTwilioTransport } from './sms/twilio.ts';
import type { OutboundPolicy } from './outbound/index.ts';

export * from './ports.ts';

/** The configurations that send through a provider (in-app and code-based ones are served to the SDK). */
export type ProviderConfiguration = EmailConfiguration | PushConfiguration | SmsConfiguration;
export const isProviderConfiguration = (c: ChannelConfiguration): c is ProviderConfiguration =>
  c.channel === 'email' || c.channel === 'push' || c.channel === 'sms';

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
      return { channel: 'email', config, transport: emailTransport(config, options) };
    case 'push':
      return { channel: 'push', config, transport: createPushTransport(config, options) };
    case 'sms':
      return { channel: 'sms', config, transport: smsTransport(config, options) };
    case 'inApp':
    case 'code':
      // Served to the site's SDK from the in-app inbox (src/runtime/in-app.ts): nothing to send to.
      throw new Error(
        `the ${config.channel} configuration "${config.name}" has no transport: its messages are served to the SDK`,
      );
    default: {
      const never: never = config;
      return never;
    }
  }
}

/** The email configuration's provider: an SMTP relay, SendGrid or Mailgun. */
function emailTransport(
  config: EmailConfiguration,
  options: { readonly outbound: OutboundPolicy },
): EmailTransport {
  // Configurations stored before providers existed have none: SMTP.
  const provider: EmailConfiguration['provider'] = config.provider ?? 'smtp';
  switch (provider) {
    case 'smtp':
      return createSmtpTransport(config, options);
    case 'sendgrid':
      return createSendgridTransport(config, required(config, config.sendgrid), options);
    case 'mailgun':
      return createMailgunTransport(config, required(config, config.mailgun), options);
    default: {
      const never: never = provider;
      return never;
    }
  }
}

/** The SMS configuration's provider: Twilio or Vonage. */
function smsTransport(
  config: SmsConfiguration,
  options: { readonly outbound: OutboundPolicy },
): SmsTransport {
  // Configurations stored before providers existed have none: Twilio.
  const provider: SmsConfiguration['provider'] = config.provider ?? 'twilio';
  switch (provider) {
    case 'twilio':
      return createTwilioTransport(required(config, config.twilio), options);
    case 'vonage':
      return createVonageTransport(required(config, config.vonage), options);
    default: {
      const never: never = provider;
      return never;
    }
  }
}

/** The chosen provider's settings (the schema requires them; a stored configuration from before is checked again). */
function required<T>(config: ChannelConfiguration, settings: T | undefined): T {
  if (settings === undefined) {
    const provider = 'provider' in config ? config.provider : config.channel;
    throw new Error(
      `the ${config.channel} configuration "${config.name}" has no ${provider} settings`,
    );
  }
  return settings;
}
