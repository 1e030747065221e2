// compileMessage: validate, apply the content template, expand fragments, lay out email documents
// with MJML, compile every field once per locale. render() then only runs compiled templates.
import {
  messageContentSchema,
  type EmailContent,
  type MessageContent,
  type MessageContentInput,
  type CodeContent,
  type InAppContent,
  type PushContent,
  type SmsContent,
} from '../model/message-content.ts';
import { FieldCompiler } from './field-compiler.ts';
import { defaultLimits, LimitExceeded, withRenderLimits, type ContentLimits } from './limits.ts';
import { newRenderState, type RenderState } from './render-state.ts';
import { diag, type ContentDiagnostic } from './diagnostics.ts';
import {
  compileCode,
  compileEmail,
  compileInApp,
  compilePush,
  compileSms,
  type CompiledVariant,
} from './channels.ts';
import { resolveLocale } from './locale.ts';
import { decisionPoliciesInValue } from './decisions.ts';
import type {
  CompileMessageOptions,
  CompileMessageResult,
  CompiledMessage,
  ContentLibrary,
  RenderInput,
  RenderOutcome,
} from './types.ts';
import type { LanguageSettings } from '../model/language-settings.ts';

export async function compileMessage(
  input: MessageContentInput | MessageContent,
  library: ContentLibrary,
  options: CompileMessageOptions = {},
): Promise<CompileMessageResult> {
  const limits: ContentLimits = { ...defaultLimits, ...options.limits };
  const parsed = messageContentSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      diagnostics: parsed.error.issues.map((i) =>
        diag({ field: i.path.join('.') || '(content)' }, 'invalid_content', i.message),
      ),
    };
  }
  let content = parsed.data;
  const applied = applyTemplateIfEmpty(content, library);
  if (!applied.ok) return { ok: false, diagnostics: applied.diagnostics };
  content = applied.content;

  const fc = new FieldCompiler(library, limits, options.scope);
  let settings: LanguageSettings | undefined;
  const variants = new Map<string, CompiledVariant>();
  if (content.languageSettings !== undefined) {
    settings = library.languageSettings(content.languageSettings);
    if (settings === undefined)
      return {
        ok: false,
        diagnostics: [
          diag(
            { field: 'languageSettings' },
            'unknown_language_settings',
            `language settings "${content.languageSettings}" do not exist`,
          ),
        ],
      };
    const locales = settings.locales.map((l) => l.locale);
    if (settings.fallbackLocale !== undefined && !locales.includes(settings.fallbackLocale))
      locales.push(settings.fallbackLocale);
    const source = locales[0];
    for (const locale of locales) {
      if (locale !== source && content.locales?.[locale] === undefined) {
        fc.diagnostics.push(
          diag(
            { field: `locales.${locale}` },
            'missing_translation',
            `no ${locale} variant yet: profiles in ${locale} get the ${source ?? 'source'} content`,
            undefined,
            undefined,
            'warning',
          ),
        );
      }
      const v = await compileVariant(localized(content, locale), fc, `locales.${locale}.`, options);
      if (v !== undefined) variants.set(locale, v);
    }
  } else {
    const v = await compileVariant(content, fc, '', options);
    if (v !== undefined) variants.set('', v);
  }
  if (fc.failed)
    return {
      ok: false,
      diagnostics: [
        ...fc.diagnostics.filter((d) => d.severity === 'error'),
        ...fc.diagnostics.filter((d) => d.severity !== 'error'),
      ],
    };
  const warnings = fc.diagnostics.filter((d) => d.severity === 'warning');
  const fragments = [...fc.fragments].map(([id, version]) => ({ id, version }));
  const message: CompiledMessage = {
    channel: content.channel,
    // The content's own decisions, then those of the fragments it uses (a fragment may `decide` too).
    decisionPolicies: [
      ...new Set([
        ...decisionPoliciesInValue(content),
        ...fragments.flatMap((f) => decisionPoliciesInValue(library.fragment(f.id)?.content)),
      ]),
    ],
    locales: settings?.locales.map((l) => l.locale) ?? [],
    fragments,
    warnings,
    render(ri: RenderInput): RenderOutcome {
      let variant = variants.get('');
      let locale: string | undefined;
      if (settings !== undefined) {
        const r = resolveLocale(settings, ri.profile);
        if (!r.ok) return { ok: false, reason: 'no_locale', message: r.message };
        locale = r.locale;
        variant = variants.get(r.locale);
      }
      if (variant === undefined)
        return { ok: false, reason: 'render_error', message: 'no compiled variant' };
      const bounds = ri.limits === undefined ? limits : withRenderLimits(limits, ri.limits);
      const state: RenderState = newRenderState(
        ri.now,
        ri.audiences ?? {},
        bounds,
        ri.decisions ?? {},
        ri.pageLink,
      );
      try {
        return variant.render({ profile: ri.profile, context: ri.context }, state, locale);
      } catch (e) {
        if (e instanceof LimitExceeded)
          return {
            ok: false,
            reason: 'limit_exceeded',
            message: e.message,
            limit: e.details(bounds),
          };
        if (e instanceof RangeError)
          return { ok: false, reason: 'limit_exceeded', message: `render stopped: ${e.message}` };
        return {
          ok: false,
          reason: 'render_error',
          message: e instanceof Error ? e.message : String(e),
        };
      }
    },
  };
  return { ok: true, message };
}

async function compileVariant(
  content: MessageContent,
  fc: FieldCompiler,
  prefix: string,
  options: CompileMessageOptions,
): Promise<CompiledVariant | undefined> {
  switch (content.channel) {
    case 'email':
      return compileEmail(content, fc, prefix, options.annotate === true ? { annotate: true } : {});
    case 'push':
      return compilePush(content, fc, prefix);
    case 'sms':
      return compileSms(content, fc, prefix);
    case 'inApp':
      return compileInApp(content, fc, prefix);
    case 'code':
      return compileCode(content, fc, prefix);
  }
}

/** The content of one locale: the message's own fields overlaid with that locale's variant. */
export function localized(content: MessageContent, locale: string): MessageContent {
  const v = content.locales?.[locale];
  if (v === undefined) return content;
  switch (content.channel) {
    case 'email': {
      const e = v as NonNullable<EmailContent['locales']>[string];
      return {
        ...content,
        ...defined({
          subject: e.subject,
          preheader: e.preheader,
          html: e.html,
          text: e.text,
          document: e.document,
        }),
      };
    }
    case 'push': {
      const p = v as NonNullable<PushContent['locales']>[string];
      return { ...content, ...defined({ title: p.title, body: p.body }) };
    }
    case 'sms': {
      const s = v as NonNullable<SmsContent['locales']>[string];
      return { ...content, ...defined({ text: s.text }) };
    }
    case 'inApp': {
      const a = v as NonNullable<InAppContent['locales']>[string];
      return { ...content, ...defined({ title: a.title, body: a.body }) };
    }
    case 'code': {
      const k = v as NonNullable<CodeContent['locales']>[string];
      return { ...content, ...defined({ payload: k.payload }) };
    }
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

type Applied =
  { ok: true; content: MessageContent } | { ok: false; diagnostics: ContentDiagnostic[] };

/** A message that names a content template but has no body of its own gets the template's content. */
function applyTemplateIfEmpty(content: MessageContent, library: ContentLibrary): Applied {
  if (content.template === undefined) return { ok: true, content };
  // Content templates are for email, push and SMS: in-app and code-based content is its own.
  if (content.channel === 'inApp' || content.channel === 'code') return { ok: true, content };
  const empty =
    content.channel === 'email'
      ? content.html === '' && content.document === undefined
      : content.channel === 'push'
        ? content.title === '' && content.body === ''
        : content.text === '';
  if (!empty) return { ok: true, content };
  const t = library.contentTemplate(content.template);
  if (t === undefined)
    return {
      ok: false,
      diagnostics: [
        diag(
          { field: 'template' },
          'unknown_template',
          `content template "${content.template}" does not exist`,
        ),
      ],
    };
  if (t.channel !== content.channel)
    return {
      ok: false,
      diagnostics: [
        diag(
          { field: 'template' },
          'template_channel',
          `content template "${t.id}" is for ${t.channel}, not ${content.channel}`,
        ),
      ],
    };
  const merged = {
    ...t.content,
    template: t.id,
    ...defined({
      languageSettings: content.languageSettings ?? t.content.languageSettings,
      locales: content.locales ?? t.content.locales,
    }),
  } as MessageContent;
  return { ok: true, content: merged };
}

/** True when a fragment the message was compiled with has changed since (recompile to propagate the edit). */
export function isStale(message: CompiledMessage, library: ContentLibrary): boolean {
  return message.fragments.some((f) => library.fragment(f.id)?.version !== f.version);
}
