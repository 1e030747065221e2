// "Audience from a report": the profiles that gave a message a given feedback, as an audience.
import type { Audience, FeedbackAction, TimeWindow } from '../model/audience.ts';

export interface FeedbackAudienceRequest {
  readonly name: string;
  readonly action: FeedbackAction;
  readonly messageId?: string;
  readonly journeyId?: string;
  readonly node?: string;
  readonly link?: string;
  readonly within?: TimeWindow;
  readonly description?: string;
  /** Streaming (default) keeps qualifying new profiles; batch is evaluated on demand. */
  readonly origin?: 'streaming' | 'batch';
}

export function audienceFromFeedback(req: FeedbackAudienceRequest): Audience {
  const what = [
    req.link !== undefined ? `link ${req.link}` : undefined,
    req.messageId !== undefined ? `message ${req.messageId}` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(' of ');
  return {
    name: req.name,
    description:
      req.description ?? `Profiles that ${req.action} ${what === '' ? 'a message' : what}`,
    origin: req.origin ?? 'streaming',
    definition: {
      kind: 'feedback',
      action: req.action,
      ...(req.messageId !== undefined ? { messageId: req.messageId } : {}),
      ...(req.journeyId !== undefined ? { journeyId: req.journeyId } : {}),
      ...(req.node !== undefined ? { node: req.node } : {}),
      ...(req.link !== undefined ? { link: req.link } : {}),
      ...(req.within !== undefined ? { within: req.within } : {}),
    },
  };
}
