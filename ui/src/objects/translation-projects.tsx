// Translation projects (the lab's "Translation projects" tab): start one for a content template,
// follow each locale's status (refreshed while any is in progress), open one to read the translated
// subject and preview each locale; approve and publish when the project asked for review. The
// development translator is named as such and flagged: its output is not a real translation.
import { useEffect, useMemo, useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  translationProjectAnswer,
  translationProjectListAnswer,
  translationProjectSchema,
  translationProviderListAnswer,
} from '@waymark/shared/api/translations.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { usePageTitle } from '../app/page-title.ts';
import { useLoad } from '../app/use-load.ts';
import { useRefresh } from '../app/use-refresh.ts';
import { navigate } from '../app/router.ts';
import { Link } from '../app/shell.tsx';
import { ContentPreview } from './content-preview.tsx';
import './translation-projects.css';

export type TranslationProject = Answer<typeof translationProjectSchema>;
type Provider = Answer<typeof translationProviderListAnswer>['items'][number];

/** A translated variant (typed unknown by the answer: its fields are the source channel's). */
const variantOf = (
  p: TranslationProject | undefined,
  locale: string,
): Readonly<Record<string, unknown>> | undefined => {
  const v = p?.result?.locales[locale];
  return typeof v === 'object' && v !== null ? (v as Readonly<Record<string, unknown>>) : undefined;
};
interface Listed<T> {
  key: string;
  spec: T;
}
interface TemplateSpec {
  id: string;
  name: string;
  channel: string;
  content: { languageSettings?: string };
}
interface SettingsSpec {
  id: string;
  locales: Array<{ locale: string }>;
}

const REFRESH_MS = 2000;
const STATUS_TEXT: Record<string, string> = {
  in_progress: 'In progress',
  ready_for_review: 'Ready for review',
  reviewed: 'Reviewed',
  completed: 'Completed',
  failed: 'Failed',
};
const when = (iso: string): string => new Date(iso).toLocaleString();

export function StatusBadge(p: { status: string }) {
  return (
    <span className={`badge tp-status tp-${p.status}`}>{STATUS_TEXT[p.status] ?? p.status}</span>
  );
}

function DevelopmentNote(p: { providers: readonly Provider[] }) {
  const dev = p.providers.find((x) => x.development);
  if (!dev) return null;
  return (
    <p className="banner warn tp-dev" role="note">
      The <strong>{dev.name}</strong> translator only swaps a few common words and marks the other
      sentences with their locale, such as “[es_ES] ”. Use Azure AI Translator or DeepL for real
      translations.
    </p>
  );
}

function NewProject(p: { providers: readonly Provider[]; onStarted: (id: string) => void }) {
  const api = useApi();
  const templates = useLoad(
    () =>
      api.get<{ items: Array<Listed<TemplateSpec>> }>('/v1/content-templates').then((r) => r.items),
    [api],
  );
  const [key, setKey] = useState('');
  const template = templates.data?.find((t) => t.key === key)?.spec;
  const settingsId = template?.content.languageSettings;
  const settings = useLoad(
    () =>
      settingsId
        ? api
            .get<{ spec: SettingsSpec }>(`/v1/language-settings/${encodeURIComponent(settingsId)}`)
            .then((r) => r.spec)
        : Promise.resolve(undefined),
    [api, settingsId],
  );
  const locales = settings.data?.locales.map((l) => l.locale) ?? [];
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const [provider, setProvider] = useState('');
  const [review, setReview] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const targets = locales.slice(1).filter((l) => !unchecked.has(l));
  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<Answer<typeof translationProjectAnswer>>(
        '/v1/translation-projects',
        {
          source: { kind: 'content-template', key },
          targets,
          review,
          ...(provider ? { provider } : {}),
        },
      );
      p.onStarted(r.project.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="card tp-new"
      aria-label="New translation project"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <h2>Translate a content template</h2>
      <div className="tp-new-fields">
        <label>
          Content template
          <select
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setUnchecked(new Set());
            }}
          >
            <option value="">Choose a template…</option>
            {(templates.data ?? []).map((t) => (
              <option key={t.key} value={t.key}>
                {t.spec.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select
            value={provider}
            onChange={(e) => setProvider(e.target.value)}
            disabled={p.providers.length === 0}
          >
            {p.providers.length === 0 && <option value="">None configured</option>}
            {p.providers.map((x) => (
              <option key={x.name} value={x.default ? '' : x.name}>
                {x.name}
                {x.default ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="tp-inline">
          <input type="checkbox" checked={review} onChange={(e) => setReview(e.target.checked)} />{' '}
          Review before publishing
        </label>
      </div>
      {key && !settingsId && (
        <p className="muted">
          This template has no language settings: choose them in the template first.
        </p>
      )}
      {settingsId && locales.length > 0 && (
        <fieldset className="tp-locales">
          <legend>
            {settingsId}: from {locales[0]} into
          </legend>
          {locales.slice(1).map((l) => (
            <label key={l} className="tp-inline">
              <input
                type="checkbox"
                checked={!unchecked.has(l)}
                onChange={(e) =>
                  setUnchecked((s) => {
                    const n = new Set(s);
                    if (e.target.checked) n.delete(l);
                    else n.add(l);
                    return n;
                  })
                }
              />{' '}
              {l}
            </label>
          ))}
        </fieldset>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        disabled={busy || !key || !settingsId || targets.length === 0 || p.providers.length === 0}
      >
        {busy ? 'Starting…' : 'Translate'}
      </button>
    </form>
  );
}

function sourceText(p: TranslationProject) {
  return p.source.kind === 'content-template' ? (
    <Link to={`/objects/content-templates/${encodeURIComponent(p.source.key)}`}>
      {p.source.name ?? p.source.key}
    </Link>
  ) : (
    <span>{p.source.channel} content (from the designer)</span>
  );
}

function ProjectList() {
  const api = useApi();
  const providers = useLoad(
    () =>
      api
        .get<Answer<typeof translationProviderListAnswer>>('/v1/translation-providers')
        .then((r) => r.items),
    [api],
  );
  const list = useLoad(
    () =>
      api
        .get<Answer<typeof translationProjectListAnswer>>('/v1/translation-projects')
        .then((r) => r.items),
    [api],
  );
  const running = (list.data ?? []).some((p) => p.status === 'in_progress');
  useRefresh(running, list.reload, REFRESH_MS);
  usePageTitle('Translation projects');
  return (
    <section className="page translation-projects">
      <div className="page-head">
        <h1>Translation projects</h1>
        {running && (
          <span className="muted" role="status">
            Translating… this page refreshes by itself
          </span>
        )}
      </div>
      <DevelopmentNote providers={providers.data ?? []} />
      {providers.data?.length === 0 && (
        <p className="banner warn">
          No translation provider is configured on this server (AZURE_TRANSLATOR_KEY,
          DEEPL_AUTH_KEY, or WAYMARK_TRANSLATOR=development).
        </p>
      )}
      <NewProject
        providers={providers.data ?? []}
        onStarted={(id) => void navigate(`/translation-projects/${encodeURIComponent(id)}`)}
      />
      {(list.error ?? providers.error) && (
        <p className="error" role="alert">
          {list.error ?? providers.error}
        </p>
      )}
      <table className="grid tp-list">
        <thead>
          <tr>
            <th>Project</th>
            <th>Source</th>
            <th>Locales</th>
            <th>Provider</th>
            <th>Status</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/translation-projects/${encodeURIComponent(p.id)}`}>{p.name}</Link>
              </td>
              <td>{sourceText(p)}</td>
              <td>
                <ul className="tp-targets">
                  {p.targets.map((t) => (
                    <li key={t.locale}>
                      <code>{t.locale}</code> <StatusBadge status={t.status} />
                    </li>
                  ))}
                </ul>
              </td>
              <td className="tp-provider">{p.provider}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td className="muted">{when(p.updatedAt)}</td>
            </tr>
          ))}
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No translation project yet: translate a content template above.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function ProjectView(p: { id: string }) {
  const api = useApi();
  const r = useLoad(
    () => api.get<TranslationProject>(`/v1/translation-projects/${encodeURIComponent(p.id)}`),
    [api, p.id],
  );
  const project = r.data;
  useRefresh(project?.status === 'in_progress', r.reload, REFRESH_MS);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(project?.name, 'Translation projects');
  const locales = useMemo(() => project?.targets.map((t) => t.locale) ?? [], [project]);
  const locale =
    shown && locales.includes(shown)
      ? shown
      : (locales.find((l) => project?.result?.locales[l] !== undefined) ?? locales[0]);
  const variant = locale ? variantOf(project, locale) : undefined;
  const channel = project
    ? project.source.kind === 'content'
      ? project.source.channel
      : 'email'
    : 'email';
  const step = (l: string, action: 'approve' | 'publish'): void => {
    setError(null);
    api
      .post(
        `/v1/translation-projects/${encodeURIComponent(p.id)}/targets/${encodeURIComponent(l)}/${action}`,
      )
      .then(
        () => r.reload(),
        (e: unknown) => setError(errorText(e)),
      );
  };
  return (
    <section className="page translation-projects">
      <p className="crumbs">
        <Link to="/translation-projects">Translation projects</Link>
      </p>
      <div className="page-head">
        <h1>{project?.name ?? 'Translation project'}</h1>
        {project && <StatusBadge status={project.status} />}
      </div>
      {(r.error ?? error) && (
        <p className="error" role="alert">
          {r.error ?? error}
        </p>
      )}
      {project && (
        <>
          <dl className="tp-meta">
            <dt>Source</dt>
            <dd>
              {sourceText(project)} · {project.sourceLocale} · {project.languageSettings}
            </dd>
            <dt>Provider</dt>
            <dd className="tp-provider">{project.provider}</dd>
            <dt>Started</dt>
            <dd>{when(project.createdAt)}</dd>
            <dt>Review</dt>
            <dd>
              {project.review
                ? 'Each locale is approved, then published'
                : 'Locales are published as soon as they are translated'}
            </dd>
          </dl>
          <table className="grid tp-locale-table">
            <thead>
              <tr>
                <th>Locale</th>
                <th>Status</th>
                <th>Subject</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {project.targets.map((t) => {
                const v = variantOf(project, t.locale);
                const subject = v?.['subject'] ?? v?.['title'] ?? v?.['text'];
                return (
                  <tr key={t.locale} className={t.locale === locale ? 'tp-shown' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => setShown(t.locale)}
                        aria-pressed={t.locale === locale}
                      >
                        {t.locale}
                      </button>
                    </td>
                    <td>
                      <StatusBadge status={t.status} />
                      {t.attempts > 1 && (
                        <span className="muted small"> {t.attempts} attempts</span>
                      )}
                    </td>
                    <td>
                      {t.error ? (
                        <span className="error">{t.error}</span>
                      ) : typeof subject === 'string' ? (
                        subject
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="tp-actions">
                      {t.status === 'ready_for_review' && (
                        <button type="button" onClick={() => step(t.locale, 'approve')}>
                          Approve
                        </button>
                      )}
                      {t.status === 'reviewed' && (
                        <button
                          type="button"
                          className="primary"
                          onClick={() => step(t.locale, 'publish')}
                        >
                          Publish
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {locale && variant ? (
            <div className="tp-preview">
              <h2>Preview: {locale}</h2>
              <ContentPreview channel={channel} content={variant} />
            </div>
          ) : (
            <p className="muted">
              {project.status === 'in_progress'
                ? 'Translating… the preview appears when a locale is done.'
                : 'No translation to preview.'}
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** /translation-projects and /translation-projects/:id */
export function TranslationProjects(p: { id?: string }) {
  return p.id ? <ProjectView key={p.id} id={p.id} /> : <ProjectList />;
}
