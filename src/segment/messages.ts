// The Segment spec's calls as they arrive at /v1/segment/*: track, identify, page, screen, alias
// and group, alone or in a batch. Only what Waymark reads is checked; the rest (context,
// integrations, sentAt …) passes as the spec allows. A message names a user by userId or
// anonymousId (alias by userId and previousId), as Segment's own API requires.
import { z } from 'zod';

export const SEGMENT_CALLS = ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const;
export type SegmentCall = (typeof SEGMENT_CALLS)[number];

/** Segment's limits: 32 KB a message, 500 KB a batch. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;

const id = z.union([z.string().min(1).max(400), z.number().transform(String)]);
const record = z.record(z.string(), z.unknown());

const common = {
  messageId: z.string().min(1).max(200).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  userId: id.nullish(),
  anonymousId: id.nullish(),
  context: record.optional(),
};

const needsUser = {
  message: 'a message needs a userId or an anonymousId',
  path: ['userId'],
};
const hasUser = (m: { userId?: unknown; anonymousId?: unknown }): boolean =>
  m.userId != null || m.anonymousId != null;
const withProperties = z
  .object({ ...common, name: z.string().max(200).optional(), properties: record.default({}) })
  .passthrough()
  .refine(hasUser, needsUser);

export const segmentMessageSchemas = {
  track: z
    .object({ ...common, event: z.string().min(1).max(200), properties: record.default({}) })
    .passthrough()
    .refine(hasUser, needsUser),
  identify: z
    .object({ ...common, traits: record.default({}) })
    .passthrough()
    .refine(hasUser, needsUser),
  page: withProperties,
  screen: withProperties,
  group: z
    .object({ ...common, groupId: id, traits: record.default({}) })
    .passthrough()
    .refine(hasUser, needsUser),
  alias: z.object({ ...common, userId: id, previousId: id }).passthrough(),
} as const satisfies Record<SegmentCall, z.ZodType>;

export type SegmentMessage = {
  [C in SegmentCall]: { readonly type: C } & z.infer<(typeof segmentMessageSchemas)[C]>;
}[SegmentCall];

export const isSegmentCall = (v: unknown): v is SegmentCall =>
  typeof v === 'string' && (SEGMENT_CALLS as readonly string[]).includes(v);
