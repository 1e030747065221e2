export { createSmtpTransport, classifySmtpError, smtpPoolOptions } from './smtp-transport.ts';
export type { SmtpTransportOptions } from './smtp-transport.ts';
export { startDevSmtpServer } from './dev-server.ts';
export type { DevMail, DevSmtpServer, DevSmtpServerOptions } from './dev-server.ts';
export { DevInbox } from './dev-inbox.ts';
export { messageIdFor, listUnsubscribeHeaders, domainOf } from './message-id.ts';
export { createSendgridTransport, sendgridBody, WAYMARK_MESSAGE_ID_ARG } from './sendgrid.ts';
export type { HttpEmailOptions } from './sendgrid.ts';
export { createMailgunTransport, mailgunFields, multipartBody } from './mailgun.ts';
export {
  verifySendgridSignature,
  parseSendgridEvents,
  mailgunSignature,
  verifyMailgunSignature,
  parseMailgunEvent,
  WEBHOOK_MAX_AGE_MS,
} from './webhooks.ts';
export type { ProviderFeedback } from './webhooks.ts';
