export { createSmtpTransport, classifySmtpError, smtpPoolOptions } from './smtp-transport.ts';
export type { SmtpTransportOptions } from './smtp-transport.ts';
export { startDevSmtpServer } from './dev-server.ts';
export type { DevMail, DevSmtpServer, DevSmtpServerOptions } from './dev-server.ts';
export { DevInbox } from './dev-inbox.ts';
export { messageIdFor, listUnsubscribeHeaders, domainOf } from './message-id.ts';
