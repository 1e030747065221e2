// The shape a journey draft is stored in. A draft saves whatever state its author left it in (an
// email with no configuration chosen yet, an event not picked, a condition without paths, no
// first activity): validation blocks publication, not saving. Everything else keeps the types of
// journeyDefinitionSchema, so a stored draft has the same TypeScript type as a publishable journey,
// with '' (or []) where a choice is still to be made.
import { z } from 'zod';
import { identifierSchema } from './common.ts';
import {
  actionNodeSchema,
  conditionNodeSchema,
  conditionPathSchema,
  emailNodeSchema,
  endNodeSchema,
  eventNodeSchema,
  journeyDefinitionSchema,
  jumpNodeSchema,
  pushNodeSchema,
  reactionNodeSchema,
  updateProfileNodeSchema,
  smsNodeSchema,
  inAppNodeSchema,
  codeBasedNodeSchema,
  waitNodeSchema,
} from './journey.ts';

/** A name still to be chosen is ''. */
const notChosenYet = <T extends z.ZodString>(s: T) => z.union([s, z.literal('')]).default('');

const configuration = z.string().max(100).default('');
export const journeyDraftNodeSchema = z.discriminatedUnion('kind', [
  eventNodeSchema.extend({ event: notChosenYet(identifierSchema) }),
  conditionNodeSchema.extend({ paths: z.array(conditionPathSchema).max(20).default([]) }),
  waitNodeSchema,
  actionNodeSchema.extend({ action: notChosenYet(identifierSchema) }),
  emailNodeSchema.extend({ configuration, content: emailNodeSchema.shape.content.default({}) }),
  pushNodeSchema.extend({ configuration, content: pushNodeSchema.shape.content.default({}) }),
  smsNodeSchema.extend({ configuration, content: smsNodeSchema.shape.content.default({}) }),
  inAppNodeSchema.extend({ configuration, content: inAppNodeSchema.shape.content.default({}) }),
  codeBasedNodeSchema.extend({
    configuration,
    content: codeBasedNodeSchema.shape.content.default({}),
  }),
  reactionNodeSchema.extend({
    message: notChosenYet(z.string().max(64)),
    reaction: reactionNodeSchema.shape.reaction.default('opened'),
  }),
  updateProfileNodeSchema.extend({
    attribute: notChosenYet(updateProfileNodeSchema.shape.attribute),
    value: z.string().max(10_000).default(''),
  }),
  jumpNodeSchema.extend({ journey: notChosenYet(z.string().max(200)) }),
  endNodeSchema,
]);

export const journeyDraftSchema = journeyDefinitionSchema.extend({
  name: z.string().max(200).default(''),
  start: notChosenYet(eventNodeSchema.shape.id),
  nodes: z.array(journeyDraftNodeSchema).max(200).default([]),
});

export type JourneyDraft = z.infer<typeof journeyDraftSchema>;
