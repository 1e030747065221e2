// Per-channel compilation of one locale's content into a renderer.
import type {
  CodeContent,
  EmailContent,
  InAppContent,
  PushContent,
  SmsContent,
} from '../model/message-content.ts';
import type { FieldCompiler } from './field-compiler.ts';
import type { CompiledTemplate, TemplateScope } from './template.ts';
import type { RenderState } from './render-state.ts';
import type { RenderOutcome } from './types.ts';
import { htmlToText } from './html-text.ts';
import { Pieces } from './protect.ts';
import { smsSegments } from './sms.ts';
import { androidPayload, iosPayload } from './push.ts';
import { compileDocument, type CompileDocumentOptions } from './document/compile.ts';

export interface CompiledVariant {
  render(scope: TemplateScope, state: RenderState, locale: string | undefined): RenderOutcome;
}

const loc = (locale: string | undefined): { locale?: string } =>
  locale === undefined ? {} : { locale };
const chosen = (
  state: RenderState,
): { variants?: Record<string, string>; metadata?: Record<string, string> } => ({
  ...(state.chosen === undefined ? {} : { variants: state.chosen }),
  ...(state.metadata === undefined ? {} : { metadata: state.metadata }),
});

export async function compileEmail(
  c: EmailContent,
  fc: FieldCompiler,
  prefix: string,
  docOptions: CompileDocumentOptions = {},
): Promise<CompiledVariant | undefined> {
  // Subject and preheader are plain text (mail headers, inbox preview): not HTML-escaped, one line.
  const subject = fc.field(
    c.subject,
    { field: `${prefix}subject` },
    { noEscape: true, warn: true },
  );
  const preheader =
    c.preheader === undefined
      ? undefined
      : fc.field(c.preheader, { field: `${prefix}preheader` }, { noEscape: true, warn: true });
  let html: CompiledTemplate | undefined;
  let text: CompiledTemplate | undefined;
  if (c.document !== undefined) {
    const d = await compileDocument(
      c.document,
      fc,
      `${prefix}document`,
      c.preheader === undefined ? undefined : c.preheader,
      docOptions,
    );
    if (d !== undefined && !fc.failed) {
      html = fc.field(d.html, { field: `${prefix}document` }, { expanded: true });
      text =
        c.text === undefined
          ? fc.field(
              d.text,
              { field: `${prefix}document(text part)` },
              { expanded: true, noEscape: true },
            )
          : undefined;
    }
  } else {
    const expanded = fc.expand(c.html, { field: `${prefix}html` });
    if (expanded !== undefined) {
      html = fc.field(expanded, { field: `${prefix}html` }, { expanded: true });
      if (c.text === undefined)
        text = fc.field(
          textOf(expanded),
          { field: `${prefix}html(text part)` },
          { expanded: true, noEscape: true },
        );
    }
  }
  if (c.text !== undefined) text = fc.field(c.text, { field: `${prefix}text` }, { noEscape: true });
  if (
    subject === undefined ||
    html === undefined ||
    text === undefined ||
    (c.preheader !== undefined && preheader === undefined)
  )
    return undefined;
  return {
    render(scope, state, locale) {
      const s = oneLine(subject.render(scope, state));
      const p = preheader === undefined ? undefined : oneLine(preheader.render(scope, state));
      const h = html.render(scope, state);
      const t = tidyText(text.render(scope, state));
      return {
        ok: true,
        channel: 'email',
        subject: s,
        ...(p === undefined ? {} : { preheader: p }),
        html: h,
        text: t,
        ...loc(locale),
        ...chosen(state),
        warnings: state.warnings,
      };
    },
  };
}

export function compilePush(
  c: PushContent,
  fc: FieldCompiler,
  prefix: string,
): CompiledVariant | undefined {
  const f = (src: string | undefined, name: string): CompiledTemplate | undefined | null =>
    src === undefined ? null : fc.field(src, { field: `${prefix}${name}` }, { noEscape: true });
  const title = f(c.title, 'title');
  const body = f(c.body, 'body');
  const image = f(c.image, 'image');
  const deepLink = f(c.deepLink, 'deepLink');
  const iosTitle = f(c.ios?.title, 'ios.title');
  const iosBody = f(c.ios?.body, 'ios.body');
  const andTitle = f(c.android?.title, 'android.title');
  const andBody = f(c.android?.body, 'android.body');
  const data = Object.entries(c.data ?? {}).map(([k, v]) => [k, f(v, `data.${k}`)] as const);
  const all = [
    title,
    body,
    image,
    deepLink,
    iosTitle,
    iosBody,
    andTitle,
    andBody,
    ...data.map(([, t]) => t),
  ];
  if (all.some((t) => t === undefined) || title == null || body == null) return undefined;
  const r = (
    t: CompiledTemplate | null | undefined,
    scope: TemplateScope,
    state: RenderState,
  ): string | undefined => (t == null ? undefined : t.render(scope, state));
  return {
    render(scope, state, locale) {
      const rendered = {
        title: title.render(scope, state),
        body: body.render(scope, state),
        ...defined({ image: r(image, scope, state), deepLink: r(deepLink, scope, state) }),
        data: Object.fromEntries(data.map(([k, t]) => [k, r(t, scope, state) ?? ''])),
        ios: defined({ title: r(iosTitle, scope, state), body: r(iosBody, scope, state) }),
        android: defined({ title: r(andTitle, scope, state), body: r(andBody, scope, state) }),
      };
      return {
        ok: true,
        channel: 'push',
        title: rendered.title,
        body: rendered.body,
        ios: iosPayload(rendered, c),
        android: androidPayload(rendered, c),
        ...loc(locale),
        ...chosen(state),
        warnings: state.warnings,
      };
    },
  };
}

export function compileSms(
  c: SmsContent,
  fc: FieldCompiler,
  prefix: string,
): CompiledVariant | undefined {
  const text = fc.field(c.text, { field: `${prefix}text` }, { noEscape: true });
  if (text === undefined) return undefined;
  return {
    render(scope, state, locale) {
      const t = tidyText(text.render(scope, state));
      const seg = smsSegments(t);
      return {
        ok: true,
        channel: 'sms',
        text: t,
        segments: seg.segments,
        encoding: seg.encoding,
        ...loc(locale),
        ...chosen(state),
        warnings: state.warnings,
      };
    },
  };
}

/** In-app: title, body, image and button urls are plain-text templates (the SDK shows them as text). */
export function compileInApp(
  c: InAppContent,
  fc: FieldCompiler,
  prefix: string,
): CompiledVariant | undefined {
  const f = (src: string, name: string): CompiledTemplate | undefined =>
    fc.field(src, { field: `${prefix}${name}` }, { noEscape: true });
  const title = f(c.title, 'title');
  const body = f(c.body, 'body');
  const image = c.imageUrl === undefined ? null : f(c.imageUrl, 'imageUrl');
  const buttons = c.buttons.map((b, i) => ({
    b,
    url: b.url === undefined ? null : f(b.url, `buttons.${i}.url`),
  }));
  if (
    title === undefined ||
    body === undefined ||
    image === undefined ||
    buttons.some((x) => x.url === undefined)
  )
    return undefined;
  return {
    render(scope, state, locale) {
      const imageUrl = image === null ? undefined : image.render(scope, state).trim();
      return {
        ok: true,
        channel: 'inApp',
        layout: c.layout,
        title: oneLine(title.render(scope, state)).trim(),
        body: tidyText(body.render(scope, state)),
        ...(imageUrl ? { imageUrl } : {}),
        buttons: buttons.map(({ b, url }) => ({
          id: b.id,
          label: b.label,
          action: b.action,
          ...(url == null ? {} : { url: url.render(scope, state).trim() }),
        })),
        trigger: c.trigger,
        frequency: c.frequency,
        expiresAfterHours: c.expiresAfterHours,
        ...loc(locale),
        ...chosen(state),
        warnings: state.warnings,
      };
    },
  };
}

/** Code-based: the payload is a template; html escapes personalization, json must render to valid JSON. */
export function compileCode(
  c: CodeContent,
  fc: FieldCompiler,
  prefix: string,
): CompiledVariant | undefined {
  const payload = fc.field(
    c.payload,
    { field: `${prefix}payload` },
    c.format === 'json' ? { noEscape: true } : {},
  );
  if (payload === undefined) return undefined;
  return {
    render(scope, state, locale) {
      const content = payload.render(scope, state);
      if (c.format === 'json') {
        try {
          JSON.parse(content);
        } catch (e) {
          return {
            ok: false,
            reason: 'render_error',
            message: `the json payload for ${c.surface} does not render to valid JSON (${e instanceof Error ? e.message : String(e)})`,
          };
        }
      }
      return {
        ok: true,
        channel: 'code',
        surface: c.surface,
        format: c.format,
        content,
        ...loc(locale),
        ...chosen(state),
        warnings: state.warnings,
      };
    },
  };
}

function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** The text part of an HTML template, with its tags kept intact. */
function textOf(html: string): string {
  const p = new Pieces();
  return p.restore(htmlToText(p.protect(html)));
}

/** Header-safe: line breaks (and other control characters) become spaces. */
function oneLine(s: string): string {
  return /[\u0000-\u001f\u007f]/.test(s) ? s.replace(/[\u0000-\u001f\u007f]+/g, ' ') : s;
}

/** Blank lines left where conditional parts rendered nothing: at most one in a row, none at the ends. */
function tidyText(s: string): string {
  return s
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
