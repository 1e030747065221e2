// Pre-send checks of an email: missing alt text, broken links, unresolved personalization, size
// over Gmail's clipping limit, no unsubscribe link in marketing mail, MJML warnings. Pure: the
// caller compiles (with the journey's scope) and renders a sample; `checkMessage` does both.
import type {
  Component,
  EmailContent,
  EmailDocument,
  LeafBlock,
  MessageContent,
  PlainBlock,
} from '../model/message-content.ts';
import type { ContentDiagnostic } from './diagnostics.ts';
import type { ContentScope } from './schema-scope.ts';
import type { ContentLibrary, RenderInput } from './types.ts';
import { compileMessage } from './compile-message.ts';

export interface ContentIssue {
  readonly severity: 'error' | 'warning';
  readonly code:
    | 'missing_alt'
    | 'broken_link'
    | 'unresolved_personalization'
    | 'gmail_clipping'
    | 'missing_unsubscribe'
    | 'mjml'
    | 'invalid_content'
    | 'render_failed';
  readonly message: string;
  readonly blockId?: string;
  readonly field?: string;
}

/** Gmail clips messages whose HTML is over 102 KB. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

export interface CheckEmailInput {
  readonly content: MessageContent;
  readonly library: ContentLibrary;
  /** A sample render's HTML (its size is what Gmail sees). */
  readonly html?: string;
  /** Sample renders per locale (multilingual content): each is measured and searched for the unsubscribe link. */
  readonly renders?: ReadonlyArray<{ readonly locale?: string; readonly html: string }>;
  /** Diagnostics of compiling the content (with the journey's scope). */
  readonly diagnostics?: readonly ContentDiagnostic[];
  readonly marketing: boolean;
}

/** Personalization alone (the link is whatever the data says): not judged. */
const TAG_ONLY = /^\s*(?:\{\{\{?[\s\S]*?\}?\}\}|\{%[\s\S]*?%\})\s*$/;
const TAGS = /\{\{\{?[\s\S]*?\}?\}\}|\{%[\s\S]*?%\}/g;

/** Why a link is broken, or undefined when it is fine. */
export function brokenLink(href: string): string | undefined {
  const h = href.trim();
  if (h === '') return 'the link is empty';
  if (h === '#') return 'the link goes nowhere (#)';
  if (TAG_ONLY.test(h)) return undefined;
  const bare = h.replace(TAGS, 'x');
  if (/^javascript:/i.test(bare)) return 'javascript: links do not work in email';
  if (/^(mailto|tel|sms):/i.test(bare))
    return /^(mailto|tel|sms):\S+/i.test(bare) ? undefined : 'the link has no address';
  if (!/^https?:/i.test(bare))
    return /^[a-z][a-z0-9+.-]*:/i.test(bare)
      ? `"${bare.split(':')[0]}:" links are not http(s), mailto or tel`
      : 'the link is not absolute (http(s)://...)';
  try {
    const u = new URL(bare);
    if (u.hostname === '' || /\s/.test(bare)) return 'the URL is malformed';
    return undefined;
  } catch {
    return 'the URL is malformed';
  }
}

const ANCHOR = /<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi;
const HREF = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const decode = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

function anchors(html: string): Array<{ href: string | undefined; text: string }> {
  return [...html.matchAll(ANCHOR)].map((m) => {
    const h = HREF.exec(m[1] ?? '');
    return {
      href: h === null ? undefined : decode(h[1] ?? h[2] ?? h[3] ?? ''),
      text: (m[2] ?? '').replace(/<[^>]*>/g, ''),
    };
  });
}

interface Visit {
  readonly block: PlainBlock;
  readonly path: string;
  readonly owner?: string;
}

/** Every block a document can show: variants, containers, and the blocks of visual fragments. */
function blocksOf(doc: EmailDocument, library: ContentLibrary, prefix: string): Visit[] {
  const out: Visit[] = [];
  const leaf = (
    b: LeafBlock | PlainBlock,
    path: string,
    owner: string | undefined,
    depth: number,
  ): void => {
    out.push({ block: b, path, ...(owner === undefined ? {} : { owner }) });
    if ('variants' in b)
      b.variants.forEach((v, i) => leaf(v.block, `${path}.variants[${i}].block`, owner, depth));
    if (b.kind === 'fragment' && depth < 2) {
      const f = library.fragment(b.fragmentId);
      if (f?.content.type === 'visual')
        f.content.blocks.forEach((x, i) =>
          leaf(x, `${path}(${f.id}).blocks[${i}]`, owner ?? b.id, depth + 1),
        );
    }
  };
  const component = (c: Component, path: string): void => {
    if (c.kind !== 'container') {
      leaf(c, path, undefined, 0);
      return;
    }
    c.blocks.forEach((b, i) => leaf(b, `${path}.blocks[${i}]`, undefined, 0));
    c.variants.forEach((v, vi) =>
      v.blocks.forEach((b, i) => leaf(b, `${path}.variants[${vi}].blocks[${i}]`, undefined, 0)),
    );
  };
  doc.body.forEach((s, si) => {
    const cols = [
      { cols: s.columns, p: `${prefix}.body[${si}]` },
      ...s.variants.map((v, vi) => ({
        cols: v.columns,
        p: `${prefix}.body[${si}].variants[${vi}]`,
      })),
    ];
    for (const { cols: cs, p } of cols)
      cs.forEach((col, ci) =>
        col.blocks.forEach((c, bi) => component(c, `${p}.columns[${ci}].blocks[${bi}]`)),
      );
  });
  return out;
}

/** The email bodies a message holds: its own and each locale's. */
function bodies(
  c: EmailContent,
): Array<{ prefix: string; document?: EmailDocument; html: string }> {
  const out: Array<{ prefix: string; document?: EmailDocument; html: string }> = [
    { prefix: '', ...(c.document === undefined ? {} : { document: c.document }), html: c.html },
  ];
  for (const [locale, v] of Object.entries(c.locales ?? {})) {
    if (v.document !== undefined || v.html !== undefined)
      out.push({
        prefix: `locales.${locale}.`,
        ...(v.document === undefined ? {} : { document: v.document }),
        html: v.html ?? '',
      });
  }
  return out;
}

const UNSUBSCRIBE =
  /unsubscribe|opt[\s-]?out|d[ée]sabonn|d[ée]sinscri|darse de baja|darte de baja|cancelar (la )?suscripci|abmelden|abbestellen|preferences|pr[ée]f[ée]rences/i;

export function checkEmail(input: CheckEmailInput): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const c = input.content;
  if (c.channel !== 'email') return issues;
  const link = (href: string | undefined, blockId: string | undefined, field: string): void => {
    if (href === undefined) return;
    const why = brokenLink(href);
    if (why !== undefined)
      issues.push({
        severity: 'error',
        code: 'broken_link',
        message: `${why}: "${href}"`,
        ...(blockId === undefined ? {} : { blockId }),
        field,
      });
  };
  // Without a sample render, the unsubscribe link is looked for in the source's links.
  let unsubscribe = false;
  const htmlLinks = (html: string, blockId: string | undefined, field: string): void => {
    for (const a of anchors(html)) {
      if (UNSUBSCRIBE.test(a.text) || (a.href !== undefined && UNSUBSCRIBE.test(a.href)))
        unsubscribe = true;
      if (a.href === undefined) continue;
      link(a.href, blockId, field);
    }
  };
  for (const body of bodies(c)) {
    if (body.document === undefined) {
      htmlLinks(body.html, undefined, `${body.prefix}html`);
      continue;
    }
    for (const { block: b, path, owner } of blocksOf(
      body.document,
      input.library,
      `${body.prefix}document`,
    )) {
      const blockId = owner ?? b.id;
      switch (b.kind) {
        case 'image':
          if (b.alt.trim() === '')
            issues.push({
              severity: 'warning',
              code: 'missing_alt',
              message: `image "${b.id}" has no alternative text (screen readers and blocked images show nothing)`,
              blockId,
              field: `${path}.alt`,
            });
          link(b.href, blockId, `${path}.href`);
          break;
        case 'button':
          if (UNSUBSCRIBE.test(b.label) || UNSUBSCRIBE.test(b.href)) unsubscribe = true;
          link(b.href, blockId, `${path}.href`);
          break;
        case 'social':
          b.links.forEach((l, i) => link(l.href, blockId, `${path}.links[${i}].href`));
          break;
        case 'text':
        case 'html':
          htmlLinks(b.content, blockId, `${path}.content`);
          break;
        default:
          break;
      }
    }
  }
  for (const d of input.diagnostics ?? []) {
    const where = { ...(d.block === undefined ? {} : { blockId: d.block }), field: d.field };
    if (d.code === 'unknown_reference' || d.code === 'unknown_root')
      issues.push({
        severity: d.code === 'unknown_reference' ? 'error' : 'warning',
        code: 'unresolved_personalization',
        message: d.message,
        ...where,
      });
    else if (d.code === 'mjml')
      issues.push({ severity: 'warning', code: 'mjml', message: d.message, ...where });
    else if (d.severity === 'error')
      issues.push({ severity: 'error', code: 'invalid_content', message: d.message, ...where });
  }
  const renders = [
    ...(input.html === undefined ? [] : [{ html: input.html }]),
    ...(input.renders ?? []),
  ] as Array<{ locale?: string; html: string }>;
  const inLocale = (r: { locale?: string }): string =>
    r.locale === undefined ? '' : ` (${r.locale})`;
  for (const r of renders) {
    const size = byteSize(r.html);
    if (size > GMAIL_CLIP_BYTES)
      issues.push({
        severity: 'warning',
        code: 'gmail_clipping',
        message: `the HTML${inLocale(r)} is ${(size / 1024).toFixed(1)} KB: Gmail clips messages over 102 KB (the rest, with the unsubscribe link and the open pixel, is hidden)`,
        ...(r.locale === undefined ? {} : { field: `locales.${r.locale}` }),
      });
  }
  if (input.marketing) {
    const message =
      'marketing email needs an unsubscribe link in the body (a link whose text or URL says unsubscribe)';
    if (renders.length === 0) {
      if (!unsubscribe) issues.push({ severity: 'error', code: 'missing_unsubscribe', message });
    } else {
      for (const r of renders) {
        const found = anchors(r.html).some(
          (a) => UNSUBSCRIBE.test(a.text) || (a.href !== undefined && UNSUBSCRIBE.test(a.href)),
        );
        if (!found)
          issues.push({
            severity: 'error',
            code: 'missing_unsubscribe',
            message: `${message}${inLocale(r)}`,
            ...(r.locale === undefined ? {} : { field: `locales.${r.locale}` }),
          });
      }
    }
  }
  return issues;
}

/** UTF-8 bytes. */
export const byteSize = (s: string): number => new TextEncoder().encode(s).length;

export interface CheckMessageInput {
  readonly content: MessageContent;
  readonly library: ContentLibrary;
  readonly scope?: ContentScope;
  readonly marketing: boolean;
  /** The sample render (profile, context, audiences, now); an empty profile otherwise. */
  readonly sample?: RenderInput;
  readonly now: number;
}

/** A copy of `profile` with `value` at the dotted `path`. */
function withPath(profile: unknown, path: string, value: string): unknown {
  const [head, ...rest] = path.split('.');
  const base =
    typeof profile === 'object' && profile !== null && !Array.isArray(profile)
      ? (profile as Record<string, unknown>)
      : {};
  if (head === undefined) return base;
  return {
    ...base,
    [head]: rest.length === 0 ? value : withPath(base[head], rest.join('.'), value),
  };
}

/** Compiles (with the scope), renders a sample (every locale of multilingual content) and runs the checks. */
export async function checkMessage(
  input: CheckMessageInput,
): Promise<{ issues: ContentIssue[]; sizeBytes: number }> {
  const compiled = await compileMessage(
    input.content,
    input.library,
    input.scope === undefined ? {} : { scope: input.scope },
  );
  const diagnostics: readonly ContentDiagnostic[] = compiled.ok
    ? compiled.message.warnings
    : compiled.diagnostics;
  // A reference outside the scope stops compilation: compile again without the scope to still measure the sample.
  const usable = compiled.ok
    ? compiled
    : input.scope !== undefined
      ? await compileMessage(input.content, input.library)
      : compiled;
  const issues: ContentIssue[] = [];
  const renders: Array<{ locale?: string; html: string }> = [];
  if (usable.ok) {
    const sample = input.sample ?? {
      profile: {},
      context: { journey: { events: {}, actions: {}, technicalProperties: {} } },
      audiences: {},
      now: input.now,
    };
    const settings =
      input.content.languageSettings === undefined
        ? undefined
        : input.library.languageSettings(input.content.languageSettings);
    // Each locale is its own email: the sample profile is given each preference in turn.
    const samples: Array<{ locale?: string; sample: RenderInput }> =
      settings === undefined
        ? [{ sample }]
        : settings.locales.map((l) => ({
            locale: l.locale,
            sample: {
              ...sample,
              profile: withPath(sample.profile, settings.preferenceAttribute, l.locale),
            },
          }));
    for (const s of samples) {
      const r = usable.message.render(s.sample);
      if (r.ok && r.channel === 'email')
        renders.push({ ...(s.locale === undefined ? {} : { locale: s.locale }), html: r.html });
      else if (!r.ok)
        issues.push({
          severity: 'error',
          code: 'render_failed',
          message: `${s.locale === undefined ? '' : `${s.locale}: `}${r.message}`,
        });
    }
  }
  issues.push(
    ...checkEmail({
      content: input.content,
      library: input.library,
      renders,
      diagnostics,
      marketing: input.marketing,
    }),
  );
  return { issues, sizeBytes: renders.reduce((m, r) => Math.max(m, byteSize(r.html)), 0) };
}
