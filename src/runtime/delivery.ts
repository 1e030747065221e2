// Channel delivery for the message dispatcher: email over SMTP (nodemailer's pooled transport),
// one pool per channel configuration. A temporary failure throws a retryable error so the outbox
// retries with backoff; a permanent one marks the message bounced.
import { createSmtpTransport } from '../channels/email/index.ts';
import type { EmailTransport } from '../channels/ports.ts';
import type { EmailConfiguration } from '../model/channel-configuration.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import { deliverToDevInbox, type Deliver } from './messages.ts';

export interface ChannelDelivery {
  readonly deliver: Deliver;
  close(): Promise<void>;
}

export function createChannelDelivery(): ChannelDelivery {
  const smtp = new Map<string, EmailTransport>();
  const transportFor = (sandbox: string, config: EmailConfiguration): EmailTransport => {
    const key = `${sandbox}\u0000${JSON.stringify(config)}`;
    let t = smtp.get(key);
    if (!t) { t = createSmtpTransport(config); smtp.set(key, t); }
    return t;
  };
  const deliver: Deliver = async (req, rendered, recipient) => {
    const config = req.catalog.configurations.get(req.effect.configuration);
    if (!config) return { status: 'failed', reason: `the channel configuration "${req.effect.configuration}" does not exist` };
    if (rendered.channel !== 'email' || config.channel !== 'email') return deliverToDevInbox(req, rendered, recipient);
    const result = await transportFor(req.sandbox, config).send({
      idempotencyKey: req.effect.messageId,
      from: { address: config.fromAddress, ...(config.fromName ? { name: config.fromName } : {}) },
      to: { address: recipient },
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    });
    switch (result.kind) {
      case 'sent':
        return { status: 'sent', reason: null, payload: { providerMessageId: result.messageId } };
      case 'bounced':
        return { status: 'bounced', reason: `${result.code ?? ''} ${result.message}`.trim() };
      case 'temporaryFailure':
        throw new WaymarkError(ErrorCode.ProviderError, `SMTP temporary failure: ${result.message}`, { retryable: true });
    }
  };
  return {
    deliver,
    async close() {
      await Promise.all([...smtp.values()].map((t) => t.close()));
      smtp.clear();
    },
  };
}
