// Content templates: reusable email, push and SMS content. "Apply content template" copies the
// template's content into a message. Governance locks parts of an email template; the API enforces
// them through checkTemplateEdit (src/content/governance.ts).
import { z } from 'zod';
import { labelsSchema } from './labels.ts';
import { messageContentSchema } from './message-content.ts';

export const LockType = {
  Editable: 'editable',
  EditableContentOnly: 'editable-content-only',
  Locked: 'locked',
} as const;
export type LockType = (typeof LockType)[keyof typeof LockType];

export const governanceSchema = z.object({
  /** 'read-only': nothing can change. 'content-locking': everything editable except what `locks` lock. */
  mode: z
    .enum(['content-locking', 'read-only'])
    .describe(
      'Read-only: nothing can change. Content locking: everything is editable except what the locks lock.',
    ),
  /** What may be added: nothing, components into unlocked structures, or also new structures. */
  addition: z
    .enum(['none', 'content-only', 'structure-and-content'])
    .default('structure-and-content')
    .describe(
      'What may be added: nothing, components into unlocked structures, or also new structures.',
    ),
  /** Lock per structure or component id. A structure's lock applies to its children unless they have their own. */
  locks: z
    .record(z.string(), z.enum(['editable', 'editable-content-only', 'locked']))
    .default({})
    .describe(
      "A lock per structure or component id; a structure's lock applies to its children unless they have their own.",
    ),
  /** Locked structures that may still be deleted ("Allow delete"). */
  allowDelete: z
    .array(z.string().meta({ title: 'Structure id' }))
    .default([])
    .meta({
      title: 'Locked but deletable',
      description: 'Locked structures that may still be deleted.',
    }),
  /** Locks on the message's own fields: subject, preheader, title, body, text. */
  fields: z
    .record(z.string(), z.enum(['editable', 'locked']))
    .default({})
    .meta({
      title: 'Message fields',
      description: "Locks on the message's own fields: subject, preheader, title, body, text.",
    }),
});
export type Governance = z.infer<typeof governanceSchema>;

export const contentTemplateSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(120)
      .describe('Messages name the template they were made from by this id.'),
    name: z.string().min(1),
    description: z.string().optional(),
    channel: z.enum(['email', 'push', 'sms']).describe('The content must be of the same channel.'),
    content: messageContentSchema,
    governance: governanceSchema.optional().meta({
      title: 'Governance',
      description: 'Locks on parts of the template that messages made from it may not change.',
    }),
    labels: labelsSchema,
  })
  .refine((t) => t.content.channel === t.channel, {
    message: 'content.channel must equal channel',
    path: ['content', 'channel'],
  });
export type ContentTemplate = z.infer<typeof contentTemplateSchema>;
export type ContentTemplateInput = z.input<typeof contentTemplateSchema>;
