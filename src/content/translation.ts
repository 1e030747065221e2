// Multilingual content: the translation provider port, translation projects (in progress -> ready
// for review -> reviewed -> completed, content locked while in translation), and the pure parts of
// machine translation: which texts of a message are sent, how template tags are kept out of it.
import type { EmailContent, EmailDocument, MessageContent } from '../model/message-content.ts';

export interface TranslationRequest {
  readonly texts: readonly string[];
  /** Locales as the language settings name them (en_US); adapters map them to their provider's codes. */
  readonly from: string;
  readonly to: string;
  readonly format: 'html' | 'plain';
}

/** The port that machine-translation adapters (src/channels/translation/) implement. */
export interface TranslationProvider {
  readonly name: string;
  translate(request: TranslationRequest): Promise<string[]>;
}

export const TranslationStatus = {
  InProgress: 'in_progress',
  ReadyForReview: 'ready_for_review',
  Reviewed: 'reviewed',
  Completed: 'completed',
} as const;
export type TranslationStatus = (typeof TranslationStatus)[keyof typeof TranslationStatus];

export interface TranslationTarget {
  readonly locale: string;
  readonly provider: string;
  readonly status: TranslationStatus;
}
export interface TranslationProject {
  readonly id: string;
  readonly sourceLocale: string;
  readonly targets: readonly TranslationTarget[];
  /** With review, a translated locale waits in ready_for_review; without, it completes at once. */
  readonly review: boolean;
}

const order: readonly TranslationStatus[] = [
  'in_progress',
  'ready_for_review',
  'reviewed',
  'completed',
];

export function startProject(
  id: string,
  sourceLocale: string,
  targets: ReadonlyArray<{ locale: string; provider: string }>,
  review: boolean,
): TranslationProject {
  return {
    id,
    sourceLocale,
    review,
    targets: targets.map((t) => ({ ...t, status: 'in_progress' })),
  };
}

/** Moves one locale forward: translated -> ready_for_review (or completed without review) -> reviewed -> completed. */
export function advanceTarget(
  p: TranslationProject,
  locale: string,
  event: 'translated' | 'approved' | 'published',
): TranslationProject | { error: string } {
  const t = p.targets.find((x) => x.locale === locale);
  if (t === undefined) return { error: `locale ${locale} is not a target of project ${p.id}` };
  const next: TranslationStatus | undefined =
    event === 'translated' && t.status === 'in_progress'
      ? p.review
        ? 'ready_for_review'
        : 'completed'
      : event === 'approved' && t.status === 'ready_for_review'
        ? 'reviewed'
        : event === 'published' &&
            (t.status === 'reviewed' || (!p.review && t.status === 'ready_for_review'))
          ? 'completed'
          : undefined;
  if (next === undefined)
    return { error: `cannot ${event} locale ${locale} while it is ${t.status}` };
  return {
    ...p,
    targets: p.targets.map((x) => (x.locale === locale ? { ...x, status: next } : x)),
  };
}

/** The project's status: the least advanced of its locales. */
export function projectStatus(p: TranslationProject): TranslationStatus {
  return p.targets.reduce<TranslationStatus>(
    (acc, t) => (order.indexOf(t.status) < order.indexOf(acc) ? t.status : acc),
    'completed',
  );
}

/** Content is locked while any locale is still being translated. */
export function isLockedForTranslation(p: TranslationProject | undefined): boolean {
  return p !== undefined && p.targets.some((t) => t.status === 'in_progress');
}

/** Template tags wrapped so that providers leave them alone (Azure honours class="notranslate", DeepL translate="no"). */
export function shieldTags(s: string): string {
  return s.replace(
    /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g,
    (m) => `<span class="notranslate" translate="no">${m}</span>`,
  );
}
export function unshieldTags(s: string): string {
  return s.replace(/<span class="notranslate"(?: translate="no")?>([\s\S]*?)<\/span>/g, '$1');
}

type Slot = { get: () => string; set: (v: string) => void };

function documentSlots(doc: EmailDocument): Slot[] {
  const slots: Slot[] = [];
  const visit = (b: Record<string, unknown>): void => {
    for (const k of ['content', 'label', 'alt'] as const) {
      if (typeof b[k] === 'string' && b[k] !== '')
        slots.push({
          get: () => b[k] as string,
          set: (v) => {
            b[k] = v;
          },
        });
    }
    for (const list of [b['blocks'], b['columns']])
      if (Array.isArray(list)) for (const x of list) visit(x as Record<string, unknown>);
    if (Array.isArray(b['variants']))
      for (const v of b['variants']) visit(v as Record<string, unknown>);
    if (typeof b['block'] === 'object' && b['block'] !== null)
      visit(b['block'] as Record<string, unknown>);
  };
  for (const s of doc.body) visit(s as unknown as Record<string, unknown>);
  return slots;
}

/** Machine-translates a message's texts into one locale variant (for `content.locales[to]`). */
export async function translateContent(
  content: MessageContent,
  from: string,
  to: string,
  provider: TranslationProvider,
): Promise<Record<string, unknown>> {
  const copy = structuredClone(content) as MessageContent & Record<string, unknown>;
  const slots: Slot[] = [];
  const field = (k: string): void => {
    if (typeof copy[k] === 'string' && copy[k] !== '')
      slots.push({
        get: () => copy[k] as string,
        set: (v) => {
          copy[k] = v;
        },
      });
  };
  if (copy.channel === 'email') {
    ['subject', 'preheader', 'text'].forEach(field);
    if (copy.document !== undefined) slots.push(...documentSlots(copy.document));
    else field('html');
  } else if (copy.channel === 'push') ['title', 'body'].forEach(field);
  else field('text');
  const translated: string[] = [];
  for (let i = 0; i < slots.length; i += 100) {
    const batch = slots.slice(i, i + 100).map((s) => shieldTags(s.get()));
    translated.push(...(await provider.translate({ texts: batch, from, to, format: 'html' })));
  }
  slots.forEach((s, i) => s.set(unshieldTags(translated[i] ?? s.get())));
  const pick = (keys: readonly string[]): Record<string, unknown> =>
    Object.fromEntries(keys.filter((k) => copy[k] !== undefined).map((k) => [k, copy[k]]));
  return copy.channel === 'email'
    ? pick([
        'subject',
        'preheader',
        'text',
        (copy as EmailContent).document !== undefined ? 'document' : 'html',
      ])
    : copy.channel === 'push'
      ? pick(['title', 'body'])
      : pick(['text']);
}

/** An edit refused because the content is out for translation; undefined when allowed. */
export function translationLockViolation(
  p: TranslationProject | undefined,
  before: MessageContent,
  after: MessageContent,
): string | undefined {
  if (!isLockedForTranslation(p) || JSON.stringify(before) === JSON.stringify(after))
    return undefined;
  return `the content is locked while translation project ${p?.id ?? ''} is in progress`;
}

/**
 * Sends the content to each target's provider and stores the results as locale variants:
 * each translated locale moves to ready_for_review (or completed without review). A provider
 * failure leaves that locale in progress and is returned with it.
 */
export async function runTranslationProject(
  content: MessageContent,
  project: TranslationProject,
  providers: Readonly<Record<string, TranslationProvider>>,
): Promise<{
  content: MessageContent;
  project: TranslationProject;
  failures: Array<{ locale: string; message: string }>;
}> {
  let p = project;
  const locales: Record<string, unknown> = { ...(content.locales ?? {}) };
  const failures: Array<{ locale: string; message: string }> = [];
  for (const t of project.targets) {
    if (t.status !== 'in_progress') continue;
    const provider = providers[t.provider];
    if (provider === undefined) {
      failures.push({ locale: t.locale, message: `no translation provider "${t.provider}"` });
      continue;
    }
    try {
      locales[t.locale] = await translateContent(
        { ...content, locales: undefined } as MessageContent,
        project.sourceLocale,
        t.locale,
        provider,
      );
      const next = advanceTarget(p, t.locale, 'translated');
      if (!('error' in next)) p = next;
    } catch (e) {
      failures.push({ locale: t.locale, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { content: { ...content, locales } as MessageContent, project: p, failures };
}
