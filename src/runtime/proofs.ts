// Proofs: a rendered email sent to a reviewer's address through the sandbox's email configuration,
// marked as a proof in its subject. Push and SMS proofs are not sent (the product sends email proofs).
import { createSmtpTransport } from '../channels/email/index.ts';
import type { RenderOutcome } from '../content/index.ts';
import type { EmailConfiguration } from '../model/channel-configuration.ts';
import type { EmailSendResult } from '../channels/ports.ts';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { CatalogCache } from './catalog.ts';
import type { SecretBox } from './secret-box.ts';
import type { OutboundPolicy } from '../channels/outbound/index.ts';
import type { ProofLog } from './proof-log.ts';

/**
 * Sends proofs through the sandbox's outbound policy. A failure is answered without network detail
 * (no addresses, ports or socket errors): a proof must not tell which ports answer.
 */
export function createProofSender(
  catalogs: CatalogCache,
  secrets: SecretBox,
  outbound: (sandbox: string) => OutboundPolicy,
  sent?: ProofLog,
) {
  return async (
    sandbox: string,
    rendered: RenderOutcome & { ok: true },
    address: string,
  ): Promise<{ messageId?: string }> => {
    if (rendered.channel !== 'email')
      throw new WaymarkError(ErrorCode.BadRequest, 'proofs are sent for email messages only');
    if (!/^[^@\s]+@[^@\s]+$/.test(address))
      throw new WaymarkError(ErrorCode.BadRequest, 'the proof address is not an email address', {
        issues: [
          {
            path: 'body.address',
            message: 'an email address',
            expected: 'name@domain',
            received: address,
          },
        ],
      });
    const stored = [...(await catalogs.get(sandbox)).configurations.values()].find(
      (c): c is EmailConfiguration => c.channel === 'email',
    );
    if (!stored)
      throw new WaymarkError(
        ErrorCode.BadRequest,
        `sandbox "${sandbox}" has no email channel configuration to send a proof with`,
      );
    const transport = createSmtpTransport(secrets.open('channelConfiguration', stored), {
      outbound: outbound(sandbox),
    });
    try {
      const r = await transport.send({
        idempotencyKey: `proof-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        from: {
          address: stored.fromAddress,
          ...(stored.fromName ? { name: stored.fromName } : {}),
        },
        to: { address },
        subject: `[Proof] ${rendered.subject}`,
        html: rendered.html,
        text: rendered.text,
      });
      if (r.kind !== 'sent')
        throw new WaymarkError(
          ErrorCode.ProviderError,
          `the proof was not sent: ${proofFailure(r)}`,
          { details: { configuration: stored.name } },
        );
      if (r.messageId !== undefined) sent?.record(sandbox, r.messageId);
      return { messageId: r.messageId };
    } finally {
      await transport.close();
    }
  };
}

/** What a failed proof says: the policy's refusal or the SMTP answer's code, never the network's words. */
function proofFailure(r: Exclude<EmailSendResult, { kind: 'sent' }>): string {
  if (r.kind === 'failed') return r.message;
  if (r.kind === 'bounced')
    return `the SMTP server refused the message${r.code === undefined ? '' : ` (${r.code})`}`;
  if (r.code !== undefined) return `the SMTP server answered ${r.code}; try again later`;
  return r.message; // already without network detail (classifySmtpError)
}
