// Segment's tracking API at /v1/segment/*: track, identify, page, screen, alias, group and batch,
// authenticated by a write key (an API key with events.ingest, sent as Segment clients send it:
// HTTP Basic with the key as the user name, or as a bearer token). Segment, RudderStack and Jitsu
// destinations and the analytics libraries point their host here. The sandbox is the key's own
// unless x-sandbox-name names one; the key's source (src/model/segment-source.ts) says what each
// call becomes.
import type { FastifyInstance } from 'fastify';
import { SEGMENT_CALLS, type SegmentCall } from '../../segment/messages.ts';
import type { Waymark } from '../../runtime/app.ts';
import { SegmentIngest } from '../../runtime/segment-ingest.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';

const tags = ['segment'];

const SUMMARY: Record<SegmentCall | 'batch', string> = {
  track: 'Segment track call → the event type its source maps the event name to',
  identify: "Segment identify call → the profile's attributes (traits) and linked identities",
  page: 'Segment page call → the event type its source maps page calls to (else ignored)',
  screen: 'Segment screen call → the event type its source maps screen calls to (else ignored)',
  alias: 'Segment alias call → previousId and userId linked (their profiles stitched)',
  group: 'Segment group call: accepted and ignored (Waymark has no accounts)',
  batch:
    'Segment batch ({batch:[…]}, as analytics-node sends): every message checked first, a bad one refuses the batch whole',
};

export function segmentRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const segment = new SegmentIngest(app);
    for (const call of [...SEGMENT_CALLS, 'batch'] as const)
      f.post(
        `/segment/${call}`,
        {
          schema: { tags, summary: SUMMARY[call], body: { type: 'object' } },
          config: { permission: 'events.ingest', writeKey: true },
        },
        async (req) => {
          const principal = req.principal;
          if (!principal) throw new WaymarkError(ErrorCode.Unauthorized, 'a write key is required');
          return segment.receive(principal.sandbox, principal.actor.name, call, req.body);
        },
      );
  };
}
