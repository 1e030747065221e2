// Translation projects: machine translation of a content template (or of content being edited in
// the console) into the locales of its language settings, through a configured provider. A
// project is stored at once and worked in the background, one locale after the other; each locale
// moves in_progress -> ready_for_review (review) or completed, or failed with the provider's error
// after a few retries of a transient failure. A completed locale of a content template is written
// into the template's `locales` through the object service (new revision and ETag). Projects are
// stored, and those in progress when the server stopped resume when it starts (resume()).
import { z } from 'zod';
import {
  advanceTarget,
  translateContent,
  type TranslationProject,
  type TranslationStatus,
} from '../content/translation.ts';
import {
  configuredTranslator,
  type ConfiguredTranslator,
  type TranslatorConfig,
  type TranslatorInfo,
  type TranslatorKind,
} from '../channels/translation/configured.ts';
import type { OutboundPolicy } from '../channels/outbound/index.ts';
import { ErrorCode, notFound, validationFailed, WaymarkError, type ErrorIssue } from '../errors.ts';
import { localeCodeSchema, type LanguageSettings } from '../model/language-settings.ts';
import { messageContentSchema, type MessageContent } from '../model/message-content.ts';
import type { ContentTemplate } from '../model/content-template.ts';
import type { Store, TranslationProjectRow } from '../store/ports.ts';
import type { Clock } from './clock.ts';
import { timeOrderedId } from './engine/ids.ts';
import type { ObjectService } from './objects.ts';
import { Serial } from './unit-of-work/serial.ts';
import { zodIssues } from './zod-issues.ts';
import type { Logger } from '../shared/logger.ts';

export type TargetStatus = TranslationStatus | 'failed';
export type ProjectStatus = TargetStatus;

export interface TranslationTargetView {
  readonly locale: string;
  readonly status: TargetStatus;
  /** Why the locale failed (the provider's answer), when it did. */
  readonly error?: string;
  /** Calls made to the provider for this locale (retries included). */
  readonly attempts: number;
}

export type TranslationSource =
  | { readonly kind: 'content-template'; readonly key: string; readonly name?: string }
  | { readonly kind: 'content'; readonly channel: MessageContent['channel'] };

export interface TranslationProjectView {
  readonly id: string;
  readonly name: string;
  readonly status: ProjectStatus;
  readonly provider: string;
  readonly source: TranslationSource;
  readonly languageSettings: string;
  readonly sourceLocale: string;
  readonly review: boolean;
  readonly targets: readonly TranslationTargetView[];
  /** The translated locale variants so far (for inline content, the console merges them into its draft). */
  readonly result?: { readonly locales: Readonly<Record<string, unknown>> };
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What is stored: the view plus the source content as it was when the project started. */
interface StoredProject extends Omit<TranslationProjectView, 'result'> {
  readonly content: MessageContent;
  readonly result: { readonly locales: Readonly<Record<string, unknown>> };
}

export const startTranslationSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('content-template'), key: z.string().min(1).max(120) }).strict(),
      z.object({ kind: z.literal('content'), content: z.unknown() }).strict(),
    ]),
    languageSettings: z.string().min(1).max(120).optional(),
    sourceLocale: localeCodeSchema.optional(),
    targets: z.array(localeCodeSchema).min(1).max(50).optional(),
    provider: z.string().min(1).max(120).optional(),
    review: z.boolean().default(false),
  })
  .strict();

export interface TranslationServiceOptions {
  readonly store: Store;
  readonly objects: ObjectService;
  readonly clock: Clock;
  /** Where a sandbox's provider calls may go (app.outbound: its allowed hosts and the providers' public endpoints). */
  readonly outbound: (sandbox: string) => OutboundPolicy;
  /** Reads the sandbox's own allowed hosts before a call (SandboxHosts.ensure). */
  readonly ensureHosts?: (sandbox: string) => Promise<void>;
  /** Waits before each retry of a transient provider failure (default 1 s, 4 s, 10 s: three retries). */
  readonly retryDelaysMs?: readonly number[];
  readonly log?: Logger;
}

const TEMPLATE_KIND = 'contentTemplate';
const SETTINGS_KIND = 'languageSettings';
const bad = (message: string, issues: ErrorIssue[]): WaymarkError =>
  validationFailed(message, issues);

export class TranslationProjectService {
  private readonly translators = new Map<string, ConfiguredTranslator>();
  private defaultName: string | null = null;
  private readonly writes = new Serial();
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  private retryDelaysMs: readonly number[];

  constructor(private readonly opts: TranslationServiceOptions) {
    this.retryDelaysMs = opts.retryDelaysMs ?? [1_000, 4_000, 10_000];
  }

  /** Registers providers (serve: from the environment; tests: their own); the default by kind or the first. */
  configure(
    configs: readonly TranslatorConfig[],
    defaultKind?: TranslatorKind | null,
    opts: { retryDelaysMs?: readonly number[] } = {},
  ): void {
    if (opts.retryDelaysMs !== undefined) this.retryDelaysMs = opts.retryDelaysMs;
    for (const c of configs) {
      const t = configuredTranslator(c);
      this.translators.set(t.name, t);
    }
    const byKind = defaultKind
      ? [...this.translators.values()].find((t) => t.kind === defaultKind)
      : undefined;
    this.defaultName = byKind?.name ?? this.defaultName ?? [...this.translators.keys()][0] ?? null;
  }

  /** The providers configured, the default first: names and kinds only, never keys or endpoints. */
  providers(): Array<TranslatorInfo & { default: boolean }> {
    const all = [...this.translators.values()].map((t) => ({
      name: t.name,
      kind: t.kind,
      development: t.development,
      default: t.name === this.defaultName,
    }));
    return [...all.filter((t) => t.default), ...all.filter((t) => !t.default)];
  }

  /** A provider by name, or by kind ("development", "azure", "deepl"). */
  private translator(nameOrKind: string): ConfiguredTranslator | undefined {
    return (
      this.translators.get(nameOrKind) ??
      [...this.translators.values()].find((t) => t.kind === nameOrKind)
    );
  }

  async list(sandbox: string, limit = 100): Promise<TranslationProjectView[]> {
    return (await this.opts.store.listTranslationProjects(sandbox, { limit })).map((r) =>
      view(r.body as StoredProject),
    );
  }

  async get(sandbox: string, id: string): Promise<TranslationProjectView> {
    return view(await this.load(sandbox, id));
  }

  private async load(sandbox: string, id: string): Promise<StoredProject> {
    const r = await this.opts.store.getTranslationProject(sandbox, id);
    if (r === null) throw notFound('translation project', id);
    return r.body as StoredProject;
  }

  private async save(sandbox: string, p: StoredProject, createdAt?: number): Promise<void> {
    await this.opts.store.putTranslationProject({
      sandbox,
      id: p.id,
      status: p.status,
      createdAt: createdAt ?? Date.parse(p.createdAt),
      updatedAt: Date.parse(p.updatedAt),
      body: p,
    });
  }

  /** Checks the request, stores the project (in progress) and starts its work in the background. */
  async start(sandbox: string, body: unknown): Promise<TranslationProjectView> {
    if (this.closed)
      throw new WaymarkError(ErrorCode.Conflict, 'the server is stopping', { retryable: true });
    const r = startTranslationSchema.safeParse(body);
    if (!r.success) throw bad('the translation project is invalid', zodIssues(r.error));
    const input = r.data;

    let content: MessageContent;
    let source: TranslationSource;
    let defaultName: string;
    if (input.source.kind === 'content-template') {
      const t = await this.opts.store.getObject<ContentTemplate>(
        sandbox,
        TEMPLATE_KIND,
        input.source.key,
      );
      if (t === null)
        throw bad(`content template "${input.source.key}" does not exist`, [
          {
            path: 'source.key',
            message: 'no content template with this id in the sandbox',
            expected: 'a content template id',
            received: input.source.key,
          },
        ]);
      content = t.body.content;
      source = { kind: 'content-template', key: input.source.key, name: t.body.name };
      defaultName = t.body.name;
      // Content is locked while in translation (src/content/translation.ts): one project at a time per template.
      const key = input.source.key;
      const busy = (await this.opts.store.translationProjectsWithStatus('in_progress'))
        .filter((x) => x.sandbox === sandbox)
        .map((x) => x.body as StoredProject)
        .find((x) => x.source.kind === 'content-template' && x.source.key === key);
      if (busy !== undefined)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `content template "${input.source.key}" is being translated by project ${busy.id}: wait for it to finish`,
          { details: { project: busy.id } },
        );
    } else {
      const c = messageContentSchema.safeParse(input.source.content);
      if (!c.success)
        throw bad(
          'the content to translate is invalid',
          zodIssues(c.error).map((i) => ({
            ...i,
            path:
              i.path === '' || i.path === '(root)' ? 'source.content' : `source.content.${i.path}`,
          })),
        );
      content = c.data;
      source = { kind: 'content', channel: content.channel };
      defaultName = `${content.channel} content`;
    }

    const settingsId = input.languageSettings ?? content.languageSettings;
    if (settingsId === undefined)
      throw bad('the content names no language settings', [
        {
          path: 'languageSettings',
          message: 'give the language settings to translate into (the content has none)',
          expected: 'a language settings id',
        },
      ]);
    const settings = (
      await this.opts.store.getObject<LanguageSettings>(sandbox, SETTINGS_KIND, settingsId)
    )?.body;
    if (settings === undefined)
      throw bad(`language settings "${settingsId}" do not exist`, [
        {
          path: 'languageSettings',
          message: 'no language settings with this id in the sandbox',
          expected: 'a language settings id',
          received: settingsId,
        },
      ]);
    const locales = settings.locales.map((l) => l.locale);
    const sourceLocale = input.sourceLocale ?? locales[0]!;
    if (!locales.includes(sourceLocale))
      throw bad(`locale ${sourceLocale} is not a locale of ${settingsId}`, [
        {
          path: 'sourceLocale',
          message: `not a locale of ${settingsId}`,
          expected: locales.join(', '),
          received: sourceLocale,
        },
      ]);
    const targets = input.targets ?? locales.filter((l) => l !== sourceLocale);
    const issues: ErrorIssue[] = [];
    targets.forEach((l, i) => {
      if (!locales.includes(l))
        issues.push({
          path: `targets.${i}`,
          message: `not a locale of ${settingsId}`,
          expected: locales.join(', '),
          received: l,
        });
      else if (l === sourceLocale)
        issues.push({
          path: `targets.${i}`,
          message: 'the source locale is not translated into itself',
          received: l,
        });
      else if (targets.indexOf(l) !== i)
        issues.push({ path: `targets.${i}`, message: 'listed twice', received: l });
    });
    if (issues.length > 0) throw bad('the target locales are invalid', issues);
    if (targets.length === 0)
      throw bad(`${settingsId} has no locale besides ${sourceLocale}`, [
        {
          path: 'targets',
          message: 'nothing to translate into',
          expected: 'at least one other locale',
        },
      ]);

    const providerName = input.provider ?? this.defaultName;
    const translator = providerName === null ? undefined : this.translator(providerName);
    if (translator === undefined) {
      const known = [...this.translators.keys()];
      throw bad(
        known.length === 0
          ? 'no translation provider is configured'
          : `no translation provider "${providerName ?? ''}"`,
        [
          {
            path: 'provider',
            message:
              known.length === 0
                ? 'the server has no translation provider (set AZURE_TRANSLATOR_KEY or DEEPL_AUTH_KEY, or WAYMARK_TRANSLATOR=development)'
                : 'not a configured provider',
            expected: known.join(', ') || 'a configured provider',
            ...(providerName !== null ? { received: providerName } : {}),
          },
        ],
      );
    }

    const now = this.opts.clock.now();
    const at = new Date(now).toISOString();
    const project: StoredProject = {
      id: `tp-${timeOrderedId()}`,
      name: input.name ?? defaultName,
      status: 'in_progress',
      provider: translator.name,
      source,
      languageSettings: settingsId,
      sourceLocale,
      review: input.review,
      targets: targets.map((locale) => ({ locale, status: 'in_progress', attempts: 0 })),
      content: { ...content, locales: undefined } as MessageContent,
      result: { locales: {} },
      createdAt: at,
      updatedAt: at,
    };
    await this.save(sandbox, project, now);
    this.launch(sandbox, project.id);
    return view(project);
  }

  /** Review flow: a locale ready for review is approved (reviewed). */
  approve(sandbox: string, id: string, locale: string): Promise<TranslationProjectView> {
    return this.step(sandbox, id, locale, 'approved');
  }

  /** Review flow: a reviewed locale is published (completed; a content template gets the variant). */
  publish(sandbox: string, id: string, locale: string): Promise<TranslationProjectView> {
    return this.step(sandbox, id, locale, 'published');
  }

  private step(
    sandbox: string,
    id: string,
    locale: string,
    event: 'approved' | 'published',
  ): Promise<TranslationProjectView> {
    return this.writes.run(async () => {
      const p = await this.load(sandbox, id);
      const target = p.targets.find((t) => t.locale === locale);
      if (target === undefined) throw notFound(`locale of translation project ${id}`, locale);
      if (target.status === 'failed')
        throw new WaymarkError(
          ErrorCode.Conflict,
          `cannot ${event === 'approved' ? 'approve' : 'publish'} locale ${locale}: its translation failed (${target.error ?? 'unknown error'})`,
        );
      const next = advanceTarget(portProject(p), locale, event);
      if ('error' in next)
        throw new WaymarkError(
          ErrorCode.Conflict,
          next.error.replace(
            /cannot (approved|published)/,
            (_, e: string) => `cannot ${e === 'approved' ? 'approve' : 'publish'}`,
          ),
        );
      const status = next.targets.find((t) => t.locale === locale)!.status;
      let updated = withTarget(p, locale, { status }, this.opts.clock.now());
      if (status === 'completed') updated = await this.deliver(sandbox, updated, locale);
      await this.save(sandbox, updated);
      return view(updated);
    });
  }

  /** Starts the work of projects left in progress by a stop; returns how many. */
  async resume(): Promise<number> {
    const rows: TranslationProjectRow[] =
      await this.opts.store.translationProjectsWithStatus('in_progress');
    for (const r of rows) this.launch(r.sandbox, r.id);
    if (rows.length > 0)
      this.opts.log?.('info', 'translation projects resumed', { projects: rows.length });
    return rows.length;
  }

  /** Resolves when no project is being worked (tests). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops taking work; waits a little for work under way (what is left resumes at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.race([this.settle(), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }

  private launch(sandbox: string, id: string): void {
    const job = this.work(sandbox, id)
      .catch((e: unknown) => {
        this.opts.log?.('error', 'translation project failed', {
          sandbox,
          project: id,
          error: e instanceof Error ? e.message : String(e),
        });
      })
      .finally(() => {
        this.running.delete(job);
      });
    this.running.add(job);
  }

  /** Translates each locale still in progress, saving after each. */
  private async work(sandbox: string, id: string): Promise<void> {
    const first = await this.load(sandbox, id);
    for (const t of first.targets) {
      if (t.status !== 'in_progress' || this.closed) continue;
      const translator = this.translator(first.provider);
      const outcome =
        translator === undefined
          ? {
              error: `translation provider "${first.provider}" is no longer configured on this server`,
              attempts: 0,
            }
          : await this.translate(sandbox, first, t.locale, translator);
      if (this.closed) return;
      await this.writes.run(async () => {
        const p = await this.load(sandbox, id);
        const now = this.opts.clock.now();
        const attempts =
          (p.targets.find((x) => x.locale === t.locale)?.attempts ?? 0) + outcome.attempts;
        let updated: StoredProject;
        if ('error' in outcome) {
          updated = withTarget(
            p,
            t.locale,
            { status: 'failed', error: outcome.error, attempts },
            now,
          );
        } else {
          const next = advanceTarget(portProject(p), t.locale, 'translated');
          const status =
            'error' in next ? 'failed' : next.targets.find((x) => x.locale === t.locale)!.status;
          updated = withTarget(
            { ...p, result: { locales: { ...p.result.locales, [t.locale]: outcome.variant } } },
            t.locale,
            { status, attempts },
            now,
          );
          if (status === 'completed') updated = await this.deliver(sandbox, updated, t.locale);
        }
        await this.save(sandbox, updated);
      });
    }
  }

  /** One locale through the provider, retrying transient failures. */
  private async translate(
    sandbox: string,
    p: StoredProject,
    locale: string,
    translator: ConfiguredTranslator,
  ): Promise<
    { variant: Record<string, unknown>; attempts: number } | { error: string; attempts: number }
  > {
    const delays = this.retryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.ensureHosts?.(sandbox);
        const variant = await translateContent(
          p.content,
          p.sourceLocale,
          locale,
          translator.provider(this.opts.outbound(sandbox)),
        );
        return { variant, attempts: attempt + 1 };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const retryable = e instanceof WaymarkError ? e.retryable : false;
        if (!retryable || attempt >= delays.length || this.closed)
          return { error: message, attempts: attempt + 1 };
        this.opts.log?.('warn', 'translation call failed; retrying', {
          sandbox,
          project: p.id,
          locale,
          attempt: attempt + 1,
          error: message,
        });
        // Unref'd: a retry waiting does not hold a stopping process open (the project resumes at the next start).
        await new Promise((r) => setTimeout(r, delays[attempt]).unref());
        if (this.closed) return { error: 'the server stopped', attempts: attempt + 1 };
      }
    }
  }

  /**
   * A completed locale of a content template goes into the template's `locales` (and the template
   * names the project's language settings if it named none), through the object service so that
   * its revision and ETag move. A save that lands meanwhile is read again, not overwritten.
   */
  private async deliver(sandbox: string, p: StoredProject, locale: string): Promise<StoredProject> {
    if (p.source.kind !== 'content-template') return p;
    const variant = p.result.locales[locale];
    const key = p.source.key;
    for (let i = 0; i < 5; i++) {
      const t = await this.opts.store.getObject<ContentTemplate>(sandbox, TEMPLATE_KIND, key);
      if (t === null)
        return withTarget(
          p,
          locale,
          { status: 'failed', error: `content template "${key}" no longer exists` },
          this.opts.clock.now(),
        );
      const content = {
        ...t.body.content,
        languageSettings: t.body.content.languageSettings ?? p.languageSettings,
        locales: { ...(t.body.content.locales ?? {}), [locale]: variant },
      };
      try {
        await this.opts.objects.put(
          sandbox,
          TEMPLATE_KIND,
          { ...t.body, content },
          key,
          t.revision,
        );
        return p;
      } catch (e) {
        if (e instanceof WaymarkError && e.code === ErrorCode.VersionConflict) continue;
        return withTarget(
          p,
          locale,
          {
            status: 'failed',
            error: `the translation could not be saved into the template: ${e instanceof Error ? e.message : String(e)}`,
          },
          this.opts.clock.now(),
        );
      }
    }
    return withTarget(
      p,
      locale,
      {
        status: 'failed',
        error: `content template "${key}" kept changing: the translation was not saved into it`,
      },
      this.opts.clock.now(),
    );
  }
}

/** The project as the pure state machine sees it (failed locales left out). */
function portProject(p: StoredProject): TranslationProject {
  return {
    id: p.id,
    sourceLocale: p.sourceLocale,
    review: p.review,
    targets: p.targets
      .filter((t) => t.status !== 'failed')
      .map((t) => ({
        locale: t.locale,
        provider: p.provider,
        status: t.status as TranslationStatus,
      })),
  };
}

const order: readonly TargetStatus[] = [
  'in_progress',
  'failed',
  'ready_for_review',
  'reviewed',
  'completed',
];

/** In progress while any locale is; otherwise failed if any failed; otherwise the least advanced. */
export function overallStatus(targets: readonly TranslationTargetView[]): ProjectStatus {
  return targets.reduce<ProjectStatus>(
    (acc, t) => (order.indexOf(t.status) < order.indexOf(acc) ? t.status : acc),
    'completed',
  );
}

function withTarget(
  p: StoredProject,
  locale: string,
  change: { status: TargetStatus; error?: string; attempts?: number },
  now: number,
): StoredProject {
  const targets = p.targets.map((t) => {
    if (t.locale !== locale) return t;
    const { error: _old, ...rest } = t;
    return {
      ...rest,
      status: change.status,
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.attempts !== undefined ? { attempts: change.attempts } : {}),
    };
  });
  return { ...p, targets, status: overallStatus(targets), updatedAt: new Date(now).toISOString() };
}

function view(p: StoredProject): TranslationProjectView {
  const { content: _content, result, ...rest } = p;
  return { ...rest, ...(Object.keys(result.locales).length > 0 ? { result } : {}) };
}
