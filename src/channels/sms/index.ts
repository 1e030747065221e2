export { createTwilioTransport } from './twilio.ts';
export type { TwilioOptions } from './twilio.ts';
export {
  parseInboundKeyword,
  OPT_OUT_KEYWORDS,
  OPT_IN_KEYWORDS,
  HELP_KEYWORDS,
} from './keywords.ts';
export type { InboundKeyword } from './keywords.ts';
export {
  twilioSignature,
  verifyTwilioSignature,
  parseTwilioInbound,
  parseTwilioStatusCallback,
} from './webhook.ts';
export type { InboundSms, StatusCallback, TwilioMessageStatus } from './webhook.ts';
export { startDevSmsServer } from './dev-server.ts';
export type { DevSms, DevSmsServer, DevSmsServerOptions } from './dev-server.ts';
export {
  createVonageTransport,
  vonageSignature,
  verifyVonageSignature,
  parseVonageReceipt,
} from './vonage.ts';
export type { VonageReceipt, VonageReceiptStatus } from './vonage.ts';
