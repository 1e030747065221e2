// Language settings: ordered locales, the profile attribute holding the preferred language, and an
// optional fallback locale. A profile matching no locale with no fallback is not sent ('no_locale').
import { z } from 'zod';

export const localeCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/, 'a locale such as en, en_US or fr-FR');

export const languageSettingsSchema = z.object({
  id: z.string().min(1).max(120).describe('Messages name their language settings by this id.'),
  name: z.string().min(1),
  /** In priority order; at most 50. */
  locales: z
    .array(
      z
        .object({
          locale: localeCodeSchema.describe('A locale such as en, en_US or fr-FR.'),
          /** Values of the preference attribute that select this locale besides the locale itself (e.g. "Spanish"). */
          aliases: z
            .array(z.string())
            .default([])
            .describe(
              'Other values of the preference attribute that select this locale, e.g. "Spanish".',
            ),
        })
        .meta({ title: 'Locale' }),
    )
    .min(1)
    .max(50)
    .describe('In priority order (at most 50).'),
  /** Dotted path in the profile, e.g. "preferredLanguage" or "person.preferredLanguage". */
  preferenceAttribute: z
    .string()
    .min(1)
    .default('preferredLanguage')
    .describe(
      'The profile attribute holding the preferred language, e.g. preferredLanguage or person.preferredLanguage.',
    ),
  /** Used when the profile matches no locale; absent = the message is not sent. */
  fallbackLocale: localeCodeSchema
    .optional()
    .describe(
      'Used when a profile matches no locale; empty: the message is not sent to that profile.',
    ),
});
export type LanguageSettings = z.infer<typeof languageSettingsSchema>;
export type LanguageSettingsInput = z.input<typeof languageSettingsSchema>;
