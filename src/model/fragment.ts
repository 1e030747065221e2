// Fragments: reusable content. Visual fragments hold email blocks; expression fragments hold template
// source used in any text field as {{fragment id='ajo:<id>'}}. Editable fields are declared in the
// source with {{#inline "fieldId" name="Label"}}default{{/inline}} and shown with {{{fieldId}}}.
import { z } from 'zod';
import { labelsSchema } from './labels.ts';
import { leafBlockSchema } from './message-content.ts';

export const FragmentStatus = { Draft: 'draft', Live: 'live', Archived: 'archived' } as const;
export type FragmentStatus = (typeof FragmentStatus)[keyof typeof FragmentStatus];

export const fragmentContentSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('expression'),
      source: z.string().meta({
        title: 'Template source',
        description:
          'Declare editable fields with {{#inline "fieldId" name="Label"}}default{{/inline}} and show them with {{{fieldId}}}.',
      }),
    })
    .meta({ title: 'Expression (template source)' }),
  z
    .object({
      type: z.literal('visual'),
      blocks: z.array(leafBlockSchema.meta({ title: 'Block' })),
    })
    .meta({ title: 'Visual (email blocks)' }),
]);
export type FragmentContent = z.infer<typeof fragmentContentSchema>;

export const fragmentVersionSchema = z.object({
  version: z.number().int().min(1),
  content: fragmentContentSchema,
  publishedAt: z.string().optional(),
});

export const fragmentSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(120)
    .describe("Content includes the fragment by this id: {{fragment id='ajo:<id>'}}."),
  name: z.string().min(1),
  description: z.string().optional(),
  status: z
    .enum(['draft', 'live', 'archived'])
    .describe('Every edit of a live fragment adds a version.'),
  /** Channels the fragment may be used in. */
  channels: z
    .array(z.enum(['email', 'push', 'sms']))
    .default(['email', 'push', 'sms'])
    .describe('The channels the fragment may be used in.'),
  /** Current version number; every edit of a live fragment adds a version. */
  version: z.number().int().min(1).default(1).describe('The current version number.'),
  content: fragmentContentSchema,
  /** Earlier versions, newest last. */
  history: z
    .array(fragmentVersionSchema.meta({ title: 'Version' }))
    .default([])
    .meta({ title: 'Earlier versions', description: 'Oldest first.' }),
  labels: labelsSchema,
});
export type Fragment = z.infer<typeof fragmentSchema>;
export type FragmentInput = z.input<typeof fragmentSchema>;

/** A new version of a fragment with `content`: the current one moves to the history. Pure. */
export function reviseFragment(
  fragment: Fragment,
  content: FragmentContent,
  publishedAt?: string,
): Fragment {
  return {
    ...fragment,
    version: fragment.version + 1,
    content,
    history: [
      ...fragment.history,
      {
        version: fragment.version,
        content: fragment.content,
        ...(publishedAt === undefined ? {} : { publishedAt }),
      },
    ],
  };
}
