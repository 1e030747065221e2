// Choosing a profile's locale from language settings: the preference attribute's value matched
// against the ordered locales (exact, then same language), else the fallback, else not sent.
import type { LanguageSettings } from '../model/language-settings.ts';
import { own } from './functions/types.ts';

export type LocaleChoice =
  { ok: true; locale: string; fallback: boolean } | { ok: false; message: string };

const norm = (s: string): string => s.trim().toLowerCase().replace(/-/g, '_');

export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    cur = own(cur, seg);
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function resolveLocale(settings: LanguageSettings, profile: unknown): LocaleChoice {
  const raw = readPath(profile, settings.preferenceAttribute);
  const value = typeof raw === 'string' ? norm(raw) : '';
  if (value !== '') {
    for (const l of settings.locales) {
      if (norm(l.locale) === value || l.aliases.some((a) => norm(a) === value))
        return { ok: true, locale: l.locale, fallback: false };
    }
    const lang = value.split('_')[0] ?? '';
    for (const l of settings.locales) {
      if ((norm(l.locale).split('_')[0] ?? '') === lang)
        return { ok: true, locale: l.locale, fallback: false };
    }
  }
  if (settings.fallbackLocale !== undefined)
    return { ok: true, locale: settings.fallbackLocale, fallback: true };
  return {
    ok: false,
    message:
      value === ''
        ? `profile has no ${settings.preferenceAttribute} and language settings "${settings.id}" have no fallback locale`
        : `profile language "${String(raw)}" matches no locale of "${settings.id}" and there is no fallback locale`,
  };
}
