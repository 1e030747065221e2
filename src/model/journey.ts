import { z } from 'zod';
import { labelsSchema } from './labels.ts';
import { identifierSchema } from './common.ts';
import { audienceQualificationSchema, readAudienceOptionsSchema } from './audience.ts';

// A journey version is a graph of activities. Every outgoing path is a list of node ids: one id is
// the usual case; several ids put events (and waits) in parallel, as the product allows.
const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)');
const pathSchema = z.array(nodeIdSchema).max(10).default([]);

const base = {
  id: nodeIdSchema,
  label: z.string().max(200).optional(),
  /** Canvas position, kept for the UI; ignored by the runtime. */
  position: z.object({ x: z.number(), y: z.number() }).optional(),
};

/** Durations are ISO-8601 (`PT1M`, `P3D`) or a number of seconds. */
export const durationSchema = z.union([
  z.number().positive(),
  z
    .string()
    .regex(
      /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/,
      'an ISO-8601 duration such as PT1M or P3D',
    ),
]);

export const eventNodeSchema = z.object({
  ...base,
  kind: z.literal('event'),
  event: identifierSchema,
  next: pathSchema,
  timeout: z
    .object({ duration: durationSchema, next: z.array(nodeIdSchema).max(10).optional() })
    .optional(),
});

const clockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00 to 23:59)');

export const timeWindowSchema = z
  .object({
    from: clockTimeSchema,
    /** Not included; before `from`: the window runs over midnight. */
    to: clockTimeSchema,
    /** ISO days of the week, 1 Monday … 7 Sunday; absent: every day. */
    days: z.array(z.number().int().min(1).max(7)).max(7).optional(),
  })
  .strict();
export type TimeWindow = z.infer<typeof timeWindowSchema>;

export const dateWindowSchema = z
  .object({
    after: z.iso.datetime({ offset: true }).optional(),
    /** Not included. */
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type DateWindow = z.infer<typeof dateWindowSchema>;

export const conditionPathSchema = z.object({
  label: z.string().max(200).optional(),
  /** Data-source condition: a boolean journey expression. */
  expression: z.string().max(10_000).optional(),
  /** Percentage split: the share of profiles this path receives. */
  percent: z.number().min(0).max(100).optional(),
  /** Time condition: the profile arrives within these hours (and days). */
  time: timeWindowSchema.optional(),
  /** Date condition: the profile arrives between these dates. */
  date: dateWindowSchema.optional(),
  next: pathSchema,
});

export const conditionNodeSchema = z.object({
  ...base,
  kind: z.literal('condition'),
  mode: z.enum(['expression', 'split', 'time', 'date', 'profileCap']).default('expression'),
  /** Profile cap: the first `cap` profiles take the first path, the rest the other cases. */
  cap: z.number().int().min(1).max(100_000_000).optional(),
  /**
   * Time conditions: the zone the hours are read in: an IANA name, or "profile" for the profile's
   * own `timeZone` attribute (the journey's zone when it has none); absent: the journey's zone.
   */
  timeZone: z.string().min(1).max(64).optional(),
  paths: z.array(conditionPathSchema).min(1).max(20),
  /** "Show path for other cases than the one(s) above". */
  otherwise: z.object({ label: z.string().max(200).optional(), next: pathSchema }).optional(),
});

export const waitNodeSchema = z.object({
  ...base,
  kind: z.literal('wait'),
  duration: durationSchema.optional(),
  /** Custom wait: an expression giving a dateTimeOnly (journey time zone) or dateTime. */
  until: z.string().max(10_000).optional(),
  /** Wait until a fixed date and time; a profile arriving after it goes on at once. */
  at: z.iso.datetime({ offset: true }).optional(),
  next: pathSchema,
});

export const actionNodeSchema = z.object({
  ...base,
  kind: z.literal('action'),
  action: identifierSchema,
  /** Variable fields of the action, each a journey expression. */
  parameters: z.record(z.string(), z.string().max(10_000)).default({}),
  next: pathSchema,
  /** "Add an alternative path in case of a timeout or an error". */
  errorPath: z.object({ next: pathSchema }).optional(),
});

/** What a reaction activity listens for, by channel (see src/journey/reaction.ts). */
export const REACTION_KINDS = ['sent', 'opened', 'clicked', 'bounced'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** A reaction (AJO's "Reactions"): the profile waits for feedback on the message activity before it. */
export const reactionNodeSchema = z.object({
  ...base,
  kind: z.literal('reaction'),
  /** The message activity reacted to: the one whose path leads here. */
  message: nodeIdSchema,
  reaction: z.enum(REACTION_KINDS),
  next: pathSchema,
  /** Without a reaction within this time the profile takes the timeout path. */
  timeout: z
    .object({ duration: durationSchema, next: z.array(nodeIdSchema).max(10).optional() })
    .optional(),
});

/** A profile attribute path (`loyalty.tier`): letters, digits and _ in dot-separated parts. */
export const attributePathSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,7}$/,
    'a profile attribute such as loyalty.tier',
  );

/** Update profile: sets one profile attribute to the value of a journey expression. */
export const updateProfileNodeSchema = z.object({
  ...base,
  kind: z.literal('updateProfile'),
  attribute: attributePathSchema,
  /** A journey expression giving the new value. */
  value: z.string().min(1).max(10_000),
  next: pathSchema,
});

/** Jump: the profile enters another journey (its newest live version) with this journey's context. */
export const jumpNodeSchema = z.object({
  ...base,
  kind: z.literal('jump'),
  /** The target journey's id. */
  journey: z.string().min(1).max(200),
  next: pathSchema,
});

const messageBase = {
  ...base,
  /** Channel configuration name (EmailMarketing, DXDemoApp, ...). */
  configuration: z.string().min(1).max(100),
  /** The message content; its shape belongs to the content module (src/model/message-content.ts). */
  content: z.record(z.string(), z.unknown()),
  ruleSet: z.string().max(100).optional(),
  /** Marketing messages need marketing consent and count toward business rules; transactional ones (an order confirmation) do not. */
  category: z.enum(['marketing', 'transactional']).default('marketing'),
  next: pathSchema,
  /**
   * "Add an alternative path in case of an error": with it, the profile waits for the send's outcome
   * and a message that is capped, excluded or fails takes this path (lastErrorCode tells why).
   */
  errorPath: z.object({ next: pathSchema }).optional(),
};
export const emailNodeSchema = z.object({ ...messageBase, kind: z.literal('email') });
export const pushNodeSchema = z.object({ ...messageBase, kind: z.literal('push') });
export const smsNodeSchema = z.object({ ...messageBase, kind: z.literal('sms') });
/** In-app message: rendered into the profile's in-app inbox, shown by the SDK while the profile is in the journey. */
export const inAppNodeSchema = z.object({ ...messageBase, kind: z.literal('inApp') });
/** Code-based experience: HTML or JSON for a surface, fetched by the site's code. */
export const codeBasedNodeSchema = z.object({ ...messageBase, kind: z.literal('codeBased') });
export const endNodeSchema = z.object({ ...base, kind: z.literal('end') });

export const journeyNodeSchema = z.discriminatedUnion('kind', [
  eventNodeSchema,
  conditionNodeSchema,
  waitNodeSchema,
  actionNodeSchema,
  emailNodeSchema,
  pushNodeSchema,
  smsNodeSchema,
  inAppNodeSchema,
  codeBasedNodeSchema,
  reactionNodeSchema,
  updateProfileNodeSchema,
  jumpNodeSchema,
  endNodeSchema,
]);

export const reentranceSchema = z.object({
  allowed: z.boolean().default(true),
  /** Seconds after an exit during which a new entry event is ignored (default 5 minutes). */
  waitSeconds: z
    .number()
    .int()
    .min(0)
    .max(91 * 86_400)
    .default(300),
});

/** A read-audience run: once (at `at`, or at publication) or every `every` from `startAt`, until `endAt`. */
export const readScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }).optional() }).strict(),
  z
    .object({
      kind: z.literal('recurring'),
      every: durationSchema,
      startAt: z.iso.datetime({ offset: true }).optional(),
      endAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
]);

/** One exit criterion: an event occurring for the profile, or the profile leaving an audience. */
export const exitCriterionSchema = z.union([
  z.object({ event: z.string().min(1).max(200) }).strict(),
  z.object({ audienceExit: z.string().min(1).max(200) }).strict(),
]);
export type ExitCriterion = z.infer<typeof exitCriterionSchema>;

/**
 * How profiles enter: with an event (the first activity is that event), when an audience
 * membership becomes realized or exited (audience qualification), or read from an audience, once or
 * on a schedule (read audience). For the audience kinds the first activity is any activity.
 */
export const journeyEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event') }).strict(),
  audienceQualificationSchema.extend({ type: z.literal('audience') }).strict(),
  readAudienceOptionsSchema
    .extend({
      type: z.literal('readAudience'),
      schedule: readScheduleSchema.default({ kind: 'once' }),
      /**
       * A business event journey (AJO): the read runs each time this business event arrives (not
       * on the schedule), with the event's payload in every profile's context.
       */
      businessEvent: identifierSchema.optional(),
    })
    .strict(),
]);
export type JourneyEntry = z.infer<typeof journeyEntrySchema>;

export const journeyDefinitionSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  entry: journeyEntrySchema.default({ type: 'event' }),
  reentrance: reentranceSchema.default({ allowed: true, waitSeconds: 300 }),
  timeZone: z.string().max(64).default('UTC'),
  /** Test mode: every wait and event timeout lasts this long (the product's default is 10 seconds). */
  testMode: z
    .object({ waitSeconds: z.number().int().min(1).max(3600).default(10) })
    .default({ waitSeconds: 10 }),
  /** A journey-domain business rule set: entry and concurrency caps per profile. */
  ruleSet: z.string().max(100).optional(),
  /** Journey-level "Timeout or error" for custom actions, 1-30 seconds. */
  actionTimeoutSeconds: z.number().int().min(1).max(30).default(30),
  /** Global timeout: a profile still in the journey this long after entering is removed (1-91 days; 91 when absent). */
  timeout: z.object({ days: z.number().int().min(1).max(91) }).optional(),
  /**
   * Exit criteria: a profile leaves the journey, from any activity, when one of these events occurs
   * for it, or when it leaves one of these audiences (a data condition).
   */
  exitCriteria: z.array(exitCriterionSchema).max(10).optional(),
  /**
   * Entry management by namespace: the journey's one identity namespace. A profile without an
   * identity in it is not entered (a discarded entry). Absent: the entry event's (or the audience entry's).
   */
  namespace: z.string().min(1).max(30).optional(),
  /** The first activity (an event for event entries). */
  start: nodeIdSchema,
  nodes: z.array(journeyNodeSchema).min(1).max(200),
  /** Access labels: only people whose role holds every one see and change the journey. */
  labels: labelsSchema,
});

export type EventNode = z.infer<typeof eventNodeSchema>;
export type ConditionNode = z.infer<typeof conditionNodeSchema>;
export type WaitNode = z.infer<typeof waitNodeSchema>;
export type ActionNode = z.infer<typeof actionNodeSchema>;
export type EmailNode = z.infer<typeof emailNodeSchema>;
export type PushNode = z.infer<typeof pushNodeSchema>;
export type SmsNode = z.infer<typeof smsNodeSchema>;
export type InAppNode = z.infer<typeof inAppNodeSchema>;
export type CodeBasedNode = z.infer<typeof codeBasedNodeSchema>;
export type EndNode = z.infer<typeof endNodeSchema>;
export type ReactionNode = z.infer<typeof reactionNodeSchema>;
export type UpdateProfileNode = z.infer<typeof updateProfileNodeSchema>;
export type JumpNode = z.infer<typeof jumpNodeSchema>;
export type JourneyNode = z.infer<typeof journeyNodeSchema>;
export type MessageNode = EmailNode | PushNode | SmsNode | InAppNode | CodeBasedNode;

/** The channel of a message activity (a code-based activity's channel is "code"). */
export type MessageChannel = 'email' | 'push' | 'sms' | 'inApp' | 'code';
export const MESSAGE_KINDS = ['email', 'push', 'sms', 'inApp', 'codeBased'] as const;
export const channelOfKind = (kind: MessageNode['kind']): MessageChannel =>
  kind === 'codeBased' ? 'code' : kind;
export const kindOfChannel = (channel: MessageChannel): MessageNode['kind'] =>
  channel === 'code' ? 'codeBased' : channel;
/** In-app and code-based messages are served to the SDK: no address, no provider. */
export const isServedChannel = (c: MessageChannel): c is 'inApp' | 'code' =>
  c === 'inApp' || c === 'code';
export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
export type JourneyDefinitionInput = z.input<typeof journeyDefinitionSchema>;
export type JourneyNodeInput = z.input<typeof journeyNodeSchema>;

export const JourneyStatus = {
  Draft: 'draft',
  /** Draft (Test): only test profiles enter, waits and timeouts are shortened. */
  Test: 'test',
  /**
   * Draft (Dry run): real profiles enter on real events and move with the real clock, but nothing is
   * sent, no custom action is called and no profile is changed: what would have happened is counted.
   */
  DryRun: 'dryRun',
  Live: 'live',
  Paused: 'paused',
  Closed: 'closed',
  Stopped: 'stopped',
} as const;
export type JourneyStatus = (typeof JourneyStatus)[keyof typeof JourneyStatus];

export interface JourneyVersion {
  readonly journeyId: string;
  readonly version: number;
  readonly status: JourneyStatus;
  readonly definition: JourneyDefinition;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Goes up by one with every stored change of this version (optimistic concurrency on drafts); absent before it is stored. */
  readonly revision?: number;
  readonly publishedAt?: string;
  readonly closedAt?: string;
}

export const isMessageNode = (n: JourneyNode): n is MessageNode =>
  n.kind === 'email' ||
  n.kind === 'push' ||
  n.kind === 'sms' ||
  n.kind === 'inApp' ||
  n.kind === 'codeBased';

/** Every outgoing path of a node, with a name for error messages. */
export function outgoingPaths(
  node: JourneyNode,
): Array<{ readonly name: string; readonly next: readonly string[] }> {
  switch (node.kind) {
    case 'event':
    case 'reaction':
      return [
        { name: 'next', next: node.next },
        ...(node.timeout?.next ? [{ name: 'timeout', next: node.timeout.next }] : []),
      ];
    case 'condition':
      return [
        ...node.paths.map((p, i) => ({
          name: `paths[${i}]${p.label ? ` (${p.label})` : ''}`,
          next: p.next,
        })),
        ...(node.otherwise ? [{ name: 'otherwise', next: node.otherwise.next }] : []),
      ];
    case 'wait':
    case 'updateProfile':
    case 'jump':
      return [{ name: 'next', next: node.next }];
    case 'email':
    case 'push':
    case 'sms':
    case 'inApp':
    case 'codeBased':
      return [
        { name: 'next', next: node.next },
        ...(node.errorPath ? [{ name: 'errorPath', next: node.errorPath.next }] : []),
      ];
    case 'action':
      return [
        { name: 'next', next: node.next },
        ...(node.errorPath ? [{ name: 'errorPath', next: node.errorPath.next }] : []),
      ];
    case 'end':
      return [];
  }
}
