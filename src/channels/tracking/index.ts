export {
  rewriteLinks,
  clickUrl,
  openPixelUrl,
  unsubscribeUrl,
  TRACKING_ROUTES,
  OPEN_PIXEL_GIF,
} from './rewrite.ts';
export type { TrackedLink, RewriteOptions, RewriteResult } from './rewrite.ts';
export {
  signClaims,
  verifyToken,
  verifyClickToken,
  verifyOpenToken,
  verifyUnsubscribeToken,
} from './tokens.ts';
export type {
  TrackingContext,
  TrackingClaims,
  ClickClaims,
  OpenClaims,
  UnsubscribeClaims,
  VerifyResult,
  TrackingSecret,
} from './tokens.ts';
export { bounceFeedback, feedbackFromClaims } from './feedback.ts';
export type { FeedbackEvent } from './feedback.ts';
