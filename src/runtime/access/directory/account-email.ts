// Invitations and password resets by email, sent with the server's own email channel: the email
// channel configuration WAYMARK_SYSTEM_EMAIL_CONFIGURATION names (`<sandbox>/<name>`), or else the
// first email configuration of the prod sandbox. Without one, nothing is sent and the caller says so.
import { createSmtpTransport } from '../../../channels/email/index.ts';
import type { EmailConfiguration } from '../../../model/channel-configuration.ts';
import type { Waymark } from '../../app.ts';

export interface AccountEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export type SendOutcome =
  | { readonly sent: true; readonly configuration: string }
  | { readonly sent: false; readonly reason: string };

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function html(
  title: string,
  paragraphs: readonly string[],
  button: { label: string; url: string },
  footer: string,
): string {
  const p = (t: string): string =>
    `<p style="margin:0 0 16px;font-size:15px;line-height:1.5;color:#2c2c2c">${t}</p>`;
  return `<!doctype html><html><body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px">
<tr><td>
<h1 style="margin:0 0 20px;font-size:20px;color:#1a1a1a">${escape(title)}</h1>
${paragraphs.map(p).join('\n')}
<p style="margin:24px 0"><a href="${escape(button.url)}" style="display:inline-block;background:#1473e6;color:#ffffff;text-decoration:none;padding:10px 20px;border-radius:16px;font-weight:bold;font-size:15px">${escape(button.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;line-height:1.5;color:#6e6e6e">If the button does not work, copy this address into your browser:<br><a href="${escape(button.url)}" style="color:#1473e6;word-break:break-all">${escape(button.url)}</a></p>
<p style="margin:24px 0 0;font-size:13px;line-height:1.5;color:#6e6e6e">${escape(footer)}</p>
</td></tr></table></td></tr></table></body></html>`;
}

export function invitationEmail(input: {
  to: string;
  name: string;
  invitedBy: string;
  url: string;
}): AccountEmail {
  const subject = 'You are invited to Waymark';
  const intro = `${input.invitedBy} invited you to Waymark, where your team builds and runs customer journeys.`;
  const act =
    'Choose a password to accept the invitation. The link works once and expires in 7 days.';
  const footer =
    'If you did not expect this invitation, ignore this email: nothing happens until the link is used.';
  return {
    to: input.to,
    subject,
    text: `Hello ${input.name},\n\n${intro}\n\n${act}\n\n${input.url}\n\n${footer}\n`,
    html: html(
      subject,
      [`Hello ${escape(input.name)},`, escape(intro), escape(act)],
      { label: 'Accept the invitation', url: input.url },
      footer,
    ),
  };
}

export function resetEmail(input: { to: string; name: string; url: string }): AccountEmail {
  const subject = 'Reset your Waymark password';
  const intro = 'Someone asked to reset the password of your Waymark account.';
  const act =
    'Choose a new password with the link below. It works once and expires in one hour; your other sessions end when the password changes.';
  const footer = 'If you did not ask for this, ignore this email: your password stays as it is.';
  return {
    to: input.to,
    subject,
    text: `Hello ${input.name},\n\n${intro}\n\n${act}\n\n${input.url}\n\n${footer}\n`,
    html: html(
      subject,
      [`Hello ${escape(input.name)},`, escape(intro), escape(act)],
      { label: 'Choose a new password', url: input.url },
      footer,
    ),
  };
}

/** The configuration the server sends its own emails with, or why there is none. */
async function systemConfiguration(
  app: Waymark,
  setting: string | undefined,
): Promise<{ sandbox: string; config: EmailConfiguration } | { reason: string }> {
  const [sandbox, name] = setting
    ? [setting.slice(0, setting.indexOf('/')), setting.slice(setting.indexOf('/') + 1)]
    : ['prod', null];
  if (setting && (!setting.includes('/') || !sandbox || !name))
    return {
      reason: `WAYMARK_SYSTEM_EMAIL_CONFIGURATION must be <sandbox>/<name>, not "${setting}"`,
    };
  const configs = [...(await app.catalogs.get(sandbox)).configurations.values()];
  const config = configs.find(
    (c): c is EmailConfiguration => c.channel === 'email' && (name === null || c.name === name),
  );
  if (!config)
    return {
      reason:
        name === null
          ? 'the prod sandbox has no email channel configuration (or set WAYMARK_SYSTEM_EMAIL_CONFIGURATION=<sandbox>/<name>)'
          : `there is no email channel configuration "${name}" in sandbox "${sandbox}" (WAYMARK_SYSTEM_EMAIL_CONFIGURATION)`,
    };
  return { sandbox, config };
}

/** Sends an account email; never throws (the invitation or reset stands either way). */
export async function sendAccountEmail(
  app: Waymark,
  email: AccountEmail,
  setting = process.env['WAYMARK_SYSTEM_EMAIL_CONFIGURATION'],
): Promise<SendOutcome> {
  try {
    const found = await systemConfiguration(app, setting === '' ? undefined : setting);
    if ('reason' in found) return { sent: false, reason: found.reason };
    const { sandbox, config } = found;
    const transport = createSmtpTransport(
      app.objects.secrets.open('channelConfiguration', config),
      { outbound: app.outbound(sandbox) },
    );
    try {
      const r = await transport.send({
        idempotencyKey: `account-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        from: {
          address: config.fromAddress,
          ...(config.fromName ? { name: config.fromName } : {}),
        },
        to: { address: email.to },
        subject: email.subject,
        html: email.html,
        text: email.text,
      });
      return r.kind === 'sent'
        ? { sent: true, configuration: `${sandbox}/${config.name}` }
        : {
            sent: false,
            reason: `the email channel "${sandbox}/${config.name}" did not send it: ${r.message}`,
          };
    } finally {
      await transport.close();
    }
  } catch (e) {
    return { sent: false, reason: `the email could not be sent: ${(e as Error).message}` };
  }
}
