// The pure parts of the locales bar: the locales of a message's language settings, which ones have
// no translation yet, and merging a translation project's result into the content (one update).
import type { EmailContent } from '@waymark/shared/model/message-content.ts';

export interface SettingsLike {
  readonly locales: ReadonlyArray<{ readonly locale: string }>;
  readonly fallbackLocale?: string;
}

/** The default (first) locale and the others, as the compiler orders them. */
export function localesOf(s: SettingsLike): { source: string | undefined; others: string[] } {
  const all = s.locales.map((l) => l.locale);
  if (s.fallbackLocale !== undefined && !all.includes(s.fallbackLocale)) all.push(s.fallbackLocale);
  return { source: all[0], others: all.slice(1) };
}

/** A locale is missing when it has neither a subject nor a body (document or html). */
export function isMissing(c: EmailContent, locale: string): boolean {
  const v = c.locales?.[locale];
  return (
    v === undefined ||
    ((v.subject ?? '') === '' && v.document === undefined && (v.html ?? '') === '')
  );
}

export type TranslatedLocale = {
  subject?: string;
  preheader?: string;
  html?: string;
  text?: string;
  document?: EmailContent['document'];
};

/** The content with each translated locale merged over what it had (a field the result leaves out is kept). */
export function mergeTranslations(
  c: EmailContent,
  result: Readonly<Record<string, TranslatedLocale>>,
): EmailContent {
  const locales = { ...(c.locales ?? {}) };
  for (const [loc, t] of Object.entries(result)) {
    const defined = Object.fromEntries(
      Object.entries(t).filter(([, v]) => v !== undefined && v !== null),
    );
    locales[loc] = { ...(locales[loc] ?? {}), ...defined };
  }
  return { ...c, locales };
}

/** The undo label of a translation: "Translate to es_ES, fr_FR". */
export const translateLabel = (locales: readonly string[]): string =>
  `Translate to ${locales.join(', ')}`;

/** The content as one locale sees it (what the compiler renders for a profile in that locale). */
export function localized(c: EmailContent, locale: string | null): EmailContent {
  if (locale === null) return c;
  const v = c.locales?.[locale];
  if (!v) return c;
  return {
    ...c,
    ...(v.subject !== undefined ? { subject: v.subject } : {}),
    ...(v.preheader !== undefined ? { preheader: v.preheader } : {}),
    ...(v.html !== undefined ? { html: v.html } : {}),
    ...(v.document !== undefined ? { document: v.document } : {}),
  };
}

/** Profile attributes with `value` at a dotted path ("person.preferredLanguage"). */
export function attributesAt(path: string, value: string): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<
    string,
    unknown
  >;
}
