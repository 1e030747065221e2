// API types shared with the server: the model's own types, and the answers' types inferred from the
// zod schemas the server is tested against (@waymark/shared/api/*), imported as types only (erased
// at build). What is still written by hand here is listed in src/isomorphic/README.md.
import type { z } from 'zod';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { journeySummarySchema } from '@waymark/shared/api/journeys.ts';
import type { storedObjectSchema } from '@waymark/shared/api/objects.ts';
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

/**
 * A stored object as the API answers it: the console needs its key, revision and spec (`S` narrows
 * the spec to the kind's own type); the rest may be absent on objects it makes itself.
 */
type Stored = Answer<typeof storedObjectSchema>;
export type StoredObject<S = Record<string, unknown>> = Pick<Stored, 'key' | 'revision'> &
  Partial<Omit<Stored, 'key' | 'revision' | 'spec'>> & { readonly spec: S };

export interface ValidationIssue {
  readonly node?: string;
  readonly path: string;
  readonly code?: string;
  readonly message: string;
}

export interface Counts {
  entered: number;
  exited: number;
  errors: number;
  timeouts: number;
  discarded: number;
}
export interface MessageCounts {
  targeted: number;
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  excluded: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  excludedBy: Record<string, number>;
}
export interface ActivityCounts extends Counts {
  id: string;
  label?: string;
  kind: NodeKind;
  messages?: MessageCounts;
}
export interface JourneyReport {
  journeyId: string;
  name: string;
  total: Counts;
  versions: Array<{
    version: number;
    status: JourneyStatus;
    journey: Counts;
    activities: ActivityCounts[];
  }>;
  links?: Array<{ version: number; activity: string; url: string; clicks: number }>;
  partial?: boolean;
}

export interface PathStep {
  node: string;
  at: number;
  outcome?: string;
  left?: number;
}
export interface Instance {
  id: string;
  journeyId: string;
  version: number;
  profileId: string;
  status: string;
  waiting?: {
    kind: string;
    nodes: string[];
    since: number;
    timer?: { dueAt: number; node: string; reason: string };
  } | null;
  path: PathStep[];
  enteredAt: number;
}

export interface Profile {
  id: string;
  attributes: Record<string, unknown>;
  identities: Array<{ namespace: string; id: string }>;
  testProfile?: boolean;
}

export interface Message {
  id: string;
  journeyId: string;
  version: number;
  node: string;
  label?: string;
  profileId: string;
  channel: 'email' | 'push' | 'sms' | string;
  recipient: string;
  status: string;
  reason: string | null;
  subject?: string | null;
  body?: string | null;
  text?: string | null;
  payload?: Record<string, unknown>;
  createdAt: number;
}

export interface EventTypeSpec {
  name: string;
  description?: string;
  schema: JsonSchema;
  identity?: { path: string; namespace: string };
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  minItems?: number;
  description?: string;
  default?: unknown;
}

export interface ActionSpec {
  name: string;
  url?: string;
  method?: string;
  parameters?: Array<{ name: string; type?: string; required?: boolean }> | Record<string, unknown>;
  response?: JsonSchema;
  [k: string]: unknown;
}
