// Landing pages at run time: publish (validated) and unpublish through the object service, render a
// page for a profile with the email renderer (fragments, personalization, offers decided for the
// profile), take a form's submission into the profile through the writer (a patch for a known
// profile, or the profile an email field names), count views, submissions and conversions, and
// sign the profile links emails carry (`landingPageUrl "slug"`).
import { compileMessage, type CompileMessageResult } from '../../content/index.ts';
import type { PageLinker } from '../../content/render-state.ts';
import { formHtml, type FieldIssue, type Posted } from '../../content/landing-pages/form.ts';
import {
  allPages,
  assemblePage,
  findPage,
  publishIssues,
} from '../../content/landing-pages/page.ts';
import {
  ErrorCode,
  WaymarkError,
  notFound,
  validationFailed,
  type ErrorIssue,
} from '../../errors.ts';
import type {
  LandingPage,
  LandingPageContent,
  LandingPageReport,
} from '../../model/landing-page.ts';
import { LANDING_PAGE_METRICS } from '../../model/landing-page.ts';
import type { Profile } from '../../model/profile.ts';
import type { LandingPageMetric, StoredObject } from '../../store/ports.ts';
import type { DecisionService } from '../decisions.ts';
import type { ObjectService } from '../objects.ts';
import type { ProfileService } from '../profiles.ts';
import { deepMerge } from '../paths.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
import type { UnitOfWork } from '../unit-of-work/index.ts';
import { csrfToken, signProfileLink, type Secret } from './tokens.ts';

export const LANDING_PAGE_ROUTE = '/lp/';
/** The namespace an email field identifies a person by when no signed link does. */
export const EMAIL_NAMESPACE = 'Email';

export interface PageRender {
  readonly html: string;
  readonly title: string;
}

export interface RenderOptions {
  /** The form's action and token; absent: a preview (the form shows, its token is not valid). */
  readonly action?: string;
  readonly posted?: Posted;
  readonly issues?: readonly FieldIssue[];
  readonly notice?: string;
}

const trimBase = (u: string): string => u.replace(/\/+$/, '');

export class LandingPageService {
  constructor(
    private readonly rt: RuntimeParts,
    private readonly deps: {
      readonly objects: ObjectService;
      readonly profiles: ProfileService;
      readonly decisions: () => DecisionService | null;
      readonly secret: Secret | undefined;
      readonly publicUrl: string;
    },
  ) {}

  /** The page's public address; with a profile, signed for it (when this server signs links). */
  url(sandbox: string, slug: string, profileId?: string, subPage?: string): string {
    const base = `${trimBase(this.deps.publicUrl)}${LANDING_PAGE_ROUTE}${encodeURIComponent(sandbox)}/${encodeURIComponent(slug)}${subPage ? `/${encodeURIComponent(subPage)}` : ''}`;
    if (profileId === undefined || this.deps.secret === undefined) return base;
    return `${base}?p=${signProfileLink({ sandbox, slug, profileId }, this.deps.secret)}`;
  }

  /** What `landingPageUrl "slug"` calls while rendering a message for a profile. */
  linker(sandbox: string, profileId: string | undefined): PageLinker | undefined {
    if (this.deps.secret === undefined) return undefined;
    return (slug, subPage) => this.url(sandbox, slug, profileId, subPage);
  }

  get secret(): Secret | undefined {
    return this.deps.secret;
  }

  async get(sandbox: string, slug: string): Promise<LandingPage | undefined> {
    const o = await this.rt.store.getObject<LandingPage>(sandbox, 'landingPage', slug);
    return o?.body;
  }

  /** Publishes the stored page: every page must render, its forms must be valid, its expiry ahead. */
  async publish(sandbox: string, slug: string): Promise<StoredObject> {
    const page = await this.get(sandbox, slug);
    if (!page) throw notFound('landing page', slug);
    const now = this.rt.clock.now();
    const issues: ErrorIssue[] = publishIssues(page, now).map((message) => ({
      path: slug,
      message,
    }));
    const library = (await this.rt.catalogs.get(sandbox)).content;
    for (const [sub, p] of allPages(page)) {
      const compiled = await compileMessage(p.content, library);
      if (!compiled.ok)
        for (const d of compiled.diagnostics.filter((x) => x.severity === 'error'))
          issues.push({ path: `${sub ?? 'primary'}.content`, message: d.message });
    }
    if (issues.length > 0)
      throw validationFailed(`the landing page "${slug}" cannot be published`, issues);
    const { object } = await this.deps.objects.put(sandbox, 'landingPage', {
      ...page,
      status: 'published',
      publishedAt: new Date(now).toISOString(),
    });
    return object;
  }

  async unpublish(sandbox: string, slug: string): Promise<StoredObject> {
    const page = await this.get(sandbox, slug);
    if (!page) throw notFound('landing page', slug);
    const { object } = await this.deps.objects.put(sandbox, 'landingPage', {
      ...page,
      status: 'unpublished',
    });
    return object;
  }

  async profile(sandbox: string, profileId: string | undefined): Promise<Profile | null> {
    return profileId === undefined ? null : this.rt.store.getProfile(sandbox, profileId);
  }

  /** Renders one page of a landing page for a profile (or nobody), its form filled with what is known. */
  async render(
    sandbox: string,
    page: LandingPage,
    subPage: string | undefined,
    profile: Profile | null,
    opts: RenderOptions = {},
  ): Promise<PageRender> {
    const p = findPage(page, subPage);
    if (!p) throw notFound('landing page', `${page.slug}/${subPage}`);
    const now = this.rt.clock.now();
    const html = await this.renderContent(
      sandbox,
      page.slug,
      p,
      profile,
      now,
      opts.action === undefined,
    );
    const form =
      p.form === undefined
        ? undefined
        : formHtml(p.form, {
            action: opts.action ?? '#',
            csrf:
              this.deps.secret === undefined || opts.action === undefined
                ? 'preview'
                : csrfToken(
                    this.deps.secret,
                    { sandbox, slug: page.slug, subPage },
                    profile?.id,
                    now,
                  ),
            profile: profile?.attributes ?? {},
            ...(opts.posted ? { posted: opts.posted } : {}),
            ...(opts.issues ? { issues: opts.issues } : {}),
            ...(opts.notice ? { notice: opts.notice } : {}),
          });
    return { html: assemblePage(html.html, html.title, form), title: html.title };
  }

  /**
   * A page's content compiled against the sandbox's current library, kept while the library is the
   * same (the catalog cache replaces it when a fragment or asset changes) and the content is equal:
   * a page's views do not compile it again.
   */
  private async compiled(
    sandbox: string,
    content: LandingPageContent['content'],
  ): Promise<CompileMessageResult> {
    const library = (await this.rt.catalogs.get(sandbox)).content;
    let byContent = this.compiledPages.get(library);
    if (byContent === undefined) {
      byContent = new Map();
      this.compiledPages.set(library, byContent);
    }
    const key = JSON.stringify(content);
    const hit = byContent.get(key);
    if (hit) return hit;
    const fresh = compileMessage(content, library);
    if (byContent.size >= 200) byContent.delete(byContent.keys().next().value!);
    byContent.set(key, fresh);
    fresh.catch(() => byContent.delete(key));
    return fresh;
  }

  private readonly compiledPages = new WeakMap<
    object,
    Map<string, Promise<CompileMessageResult>>
  >();

  private async renderContent(
    sandbox: string,
    slug: string,
    p: LandingPageContent,
    profile: Profile | null,
    now: number,
    preview: boolean,
  ): Promise<PageRender> {
    const compiled = await this.compiled(sandbox, p.content);
    if (!compiled.ok)
      throw new WaymarkError(
        ErrorCode.TemplateError,
        compiled.diagnostics[0]?.message ?? 'the page does not compile',
        { details: { diagnostics: compiled.diagnostics } },
      );
    const policies = compiled.message.decisionPolicies;
    const decider = policies.length > 0 ? this.deps.decisions() : null;
    const decisions = decider
      ? await decider.forPage(sandbox, profile, `landing-page:${slug}`, policies, !preview)
      : undefined;
    const audiences = profile ? await this.rt.engine.memberships(sandbox, profile) : {};
    const link = this.linker(sandbox, profile?.id);
    const out = compiled.message.render({
      profile: profile?.attributes ?? {},
      context: { journey: { events: {}, actions: {}, technicalProperties: {} } },
      audiences,
      now,
      ...(decisions ? { decisions } : {}),
      ...(link ? { pageLink: link } : {}),
    });
    if (!out.ok || out.channel !== 'email')
      throw new WaymarkError(
        ErrorCode.TemplateError,
        out.ok ? 'a landing page is email content' : `the page does not render: ${out.message}`,
      );
    return { html: out.html, title: out.subject };
  }

  /**
   * Writes a checked submission: into the profile the link named, or into the one its email field
   * names (created when new). The writer commits it as every profile change (audiences follow), and
   * the page's `submissions` and `conversions` counters in the same unit of work: a report never
   * counts a conversion whose profile write was lost, nor the reverse.
   */
  async submit(
    sandbox: string,
    page: { readonly slug: string; readonly subPage: string | undefined },
    profileId: string | undefined,
    patch: Record<string, unknown>,
    email: string | undefined,
  ): Promise<string | undefined> {
    const counted = (uow: UnitOfWork): void => {
      for (const metric of ['submissions', 'conversions'] as const)
        uow.countLandingPage({ sandbox, slug: page.slug, subPage: page.subPage ?? '', metric });
    };
    if (profileId !== undefined) {
      const written = await this.deps.profiles.patchById(
        sandbox,
        profileId,
        (a) => deepMerge(a, patch),
        counted,
      );
      // The profile was erased since the link was signed: a submission, nothing converted.
      if (!written) await this.count(sandbox, page.slug, page.subPage, 'submissions');
      return written ? profileId : undefined;
    }
    if (email === undefined) {
      await this.count(sandbox, page.slug, page.subPage, 'submissions');
      return undefined;
    }
    const prepared = await this.deps.profiles.prepare(sandbox, EMAIL_NAMESPACE, email, {
      attributes: patch,
      identities: [],
    });
    const p = await this.rt.writer.run(async (uow) => {
      const written = await this.deps.profiles.applyUpdate(uow, sandbox, prepared);
      counted(uow);
      return written;
    });
    return p.id;
  }

  count(
    sandbox: string,
    slug: string,
    subPage: string | undefined,
    metric: LandingPageMetric,
  ): Promise<void> {
    return this.rt.store.countLandingPage(sandbox, slug, subPage ?? '', metric);
  }

  async report(sandbox: string, slug: string): Promise<LandingPageReport> {
    const page = await this.get(sandbox, slug);
    if (!page) throw notFound('landing page', slug);
    const rows = await this.rt.store.landingPageCounts(sandbox, slug);
    const zero = (): Record<LandingPageMetric, number> =>
      Object.fromEntries(LANDING_PAGE_METRICS.map((m) => [m, 0])) as Record<
        LandingPageMetric,
        number
      >;
    const per = new Map<string, Record<LandingPageMetric, number>>(
      allPages(page).map(([s]) => [s ?? '', zero()]),
    );
    const total = zero();
    for (const r of rows) {
      const entry = per.get(r.subPage) ?? zero();
      entry[r.metric] += r.count;
      per.set(r.subPage, entry);
      total[r.metric] += r.count;
    }
    return {
      slug,
      ...total,
      conversionRate: total.views === 0 ? 0 : total.conversions / total.views,
      pages: [...per].map(([s, m]) => ({ subPage: s === '' ? null : s, ...m })),
    };
  }
}
