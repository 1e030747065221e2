// API types shared with the server: the model's own types, and the answers' types inferred from the
// zod schemas the server is tested against (@waymark/shared/api/*), imported as types only (erased
// at build). What is still written by hand here is listed in src/isomorphic/README.md.
import type { z } from 'zod';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { instanceSchema, pathStepSchema } from '@waymark/shared/api/instances.ts';
import type {
  journeySummaryListAnswer,
  journeySummarySchema,
} from '@waymark/shared/api/journeys.ts';
import type { messageListAnswer, messageSchema } from '@waymark/shared/api/messages.ts';
import type { storedObjectSchema } from '@waymark/shared/api/objects.ts';
import type {
  profileDetailSchema,
  profileListAnswer,
  profileSchema,
} from '@waymark/shared/api/profiles.ts';
import type {
  activityCountsSchema,
  countsSchema,
  dryRunReportSchema,
  journeyReportSchema,
  messageCountsSchema,
  validationIssueSchema,
} from '@waymark/shared/api/reports.ts';
import type {
  actionSpecSchema,
  eventTypeSpecSchema,
  jsonSchemaSchema,
} from '@waymark/shared/api/specs.ts';
import type {
  JourneyDefinition,
  JourneyNode,
  JourneyStatus,
  JourneyVersion,
} from '@waymark/shared/model/journey.ts';

export type { JourneyDefinition, JourneyNode, JourneyStatus, JourneyVersion };
export type NodeKind = JourneyNode['kind'];

/** GET /v1/journeys/:id, and each item of GET /v1/journeys (as the model's types: not read-only). */
export type JourneySummary = z.infer<typeof journeySummarySchema>;
/** GET /v1/journeys. */
export type JourneySummaryList = z.infer<typeof journeySummaryListAnswer>;

/**
 * A stored object as the API answers it: the console needs its key, revision and spec (`S` narrows
 * the spec to the kind's own type); the rest may be absent on objects it makes itself.
 */
type Stored = Answer<typeof storedObjectSchema>;
export type StoredObject<S = Record<string, unknown>> = Pick<Stored, 'key' | 'revision'> &
  Partial<Omit<Stored, 'key' | 'revision' | 'spec'>> & { readonly spec: S };

/** A problem in a journey definition (POST /v1/journeys/:id/validate). */
export type ValidationIssue = Answer<typeof validationIssueSchema>;

/** What a journey, a version or an activity counted. */
export type Counts = Answer<typeof countsSchema>;
export type MessageCounts = Answer<typeof messageCountsSchema>;
export type ActivityCounts = Answer<typeof activityCountsSchema>;
/** GET /v1/journeys/:id/report. */
export type JourneyReport = Answer<typeof journeyReportSchema>;
/** GET /v1/journeys/:id/dry-run. */
export type DryRunReport = Answer<typeof dryRunReportSchema>;

export type PathStep = Answer<typeof pathStepSchema>;
/** One profile in one journey version (GET /v1/journeys/:id/instances). */
export type Instance = Answer<typeof instanceSchema>;

/** A profile as listed and as PUT answers it. */
export type Profile = Answer<typeof profileSchema>;
/** GET /v1/profiles. */
export type ProfileList = Answer<typeof profileListAnswer>;
/** GET /v1/profiles/:namespace/:id: with its audiences and journeys. */
export type ProfileDetail = Answer<typeof profileDetailSchema>;

/** One entry of the delivery log (GET /v1/messages). */
export type Message = Answer<typeof messageSchema>;
/** GET /v1/messages. */
export type MessageList = Answer<typeof messageListAnswer>;

/** An event type's spec (the spec of GET /v1/event-types' items). */
export type EventTypeSpec = Answer<typeof eventTypeSpecSchema>;
/** JSON Schema, with the keywords the console reads typed. */
export type JsonSchema = Answer<typeof jsonSchemaSchema>;
/** A custom action's spec (the spec of GET /v1/actions' items). */
export type ActionSpec = Answer<typeof actionSpecSchema>;
