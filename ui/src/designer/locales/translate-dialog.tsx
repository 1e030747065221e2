// "Translate…": the provider (the development translator is marked as no real translation) and the
// target locales; starts a translation project (POST /v1/translation-projects), polls it with a
// progress bar, then merges the translated locales into the content as one undo step. A locale
// that failed is shown with its error and left as it was.
import { useEffect, useRef, useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type {
  translationProjectAnswer,
  translationProjectSchema,
  translationProviderListAnswer,
} from '@waymark/shared/api/translations.ts';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { useDesigner } from '../contracts.ts';
import { mergeTranslations, translateLabel, type TranslatedLocale } from './locale-model.ts';

type Provider = Answer<typeof translationProviderListAnswer>['items'][number];
type Project = Answer<typeof translationProjectSchema>;
type Target = Project['targets'][number];

/** The development translator is said to be one, once. */
export const providerLabel = (x: Provider): string =>
  x.development
    ? /not a real translation/i.test(x.name)
      ? x.name
      : `${x.name} (development, not a real translation)`
    : `${x.name} (${x.kind})`;

const DONE = (t: Target): boolean => t.status !== 'in_progress';
const OK = (t: Target): boolean =>
  t.status === 'completed' || t.status === 'ready_for_review' || t.status === 'reviewed';

export function TranslateDialog(p: {
  others: string[];
  missing: string[];
  sourceLocale: string | undefined;
  onClose(): void;
}) {
  const d = useDesigner();
  const api = useApi();
  const ref = useRef<HTMLDialogElement>(null);
  const [providers, setProviders] = useState<readonly Provider[] | null>(null);
  const [provider, setProvider] = useState('');
  const [targets, setTargets] = useState<string[]>(p.missing.length ? p.missing : p.others);
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [merged, setMerged] = useState<string[] | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  useEffect(() => {
    api.get<Answer<typeof translationProviderListAnswer>>('/v1/translation-providers').then(
      (r) => {
        setProviders(r.items);
        setProvider(r.items[0]?.name ?? '');
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [api]);

  // Polls the running project; merges once every locale is done.
  const running = project !== null && !project.targets.every(DONE);
  useEffect(() => {
    if (!project || !running) return;
    const t = setTimeout(() => {
      api
        .get<Project>(`/v1/translation-projects/${encodeURIComponent(project.id)}`)
        .then(setProject, (e: unknown) => setError(errorText(e)));
    }, 700);
    return () => clearTimeout(t);
  }, [api, project, running]);
  useEffect(() => {
    if (!project || running || merged !== null) return;
    const ok = project.targets
      .filter(OK)
      .map((t) => t.locale)
      .filter((l) => project.result?.locales[l] !== undefined);
    if (ok.length) {
      // An email's variants: this dialog translates the designer's email content.
      const only: Record<string, TranslatedLocale> = Object.fromEntries(
        ok.map((l) => [l, project.result!.locales[l] as TranslatedLocale]),
      );
      d.update((c) => mergeTranslations(c, only), translateLabel(ok));
    }
    setMerged(ok);
  }, [project, running, merged, d]);

  async function start() {
    setError(null);
    setMerged(null);
    const source =
      d.host.kind === 'content-template'
        ? { kind: 'content-template', key: d.host.key }
        : { kind: 'content', content: d.content };
    try {
      const r = await api.post<Answer<typeof translationProjectAnswer>>(
        '/v1/translation-projects',
        {
          name: `${d.content.subject || 'Email'} (${targets.join(', ')})`.slice(0, 200),
          source,
          ...(d.content.languageSettings ? { languageSettings: d.content.languageSettings } : {}),
          ...(p.sourceLocale ? { sourceLocale: p.sourceLocale } : {}),
          targets,
          ...(provider ? { provider } : {}),
          review: false,
        },
      );
      setProject(r.project);
    } catch (e) {
      setError(errorText(e));
    }
  }
  const close = () => {
    ref.current?.close();
    p.onClose();
  };
  const chosen = providers?.find((x) => x.name === provider);
  const done = project ? project.targets.filter(DONE).length : 0;

  return (
    <dialog
      ref={ref}
      className="dialog dz-translate"
      aria-labelledby="dz-translate-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <h2 id="dz-translate-title">Translate</h2>
        <label>
          Provider
          <select
            value={provider}
            onChange={(e) => setProvider(e.target.value)}
            disabled={project !== null}
          >
            {(providers ?? []).map((x) => (
              <option key={x.name} value={x.name}>
                {providerLabel(x)}
              </option>
            ))}
          </select>
        </label>
        {chosen?.development ? (
          <p className="small notice">
            The development translator is for trying the flow: what it writes is not a real
            translation. Configure Azure or DeepL for real translations.
          </p>
        ) : null}
        <fieldset disabled={project !== null}>
          <legend>Translate {p.sourceLocale ?? 'the default'} into</legend>
          {p.others.map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                checked={targets.includes(l)}
                onChange={(e) =>
                  setTargets((t) => (e.target.checked ? [...t, l] : t.filter((x) => x !== l)))
                }
              />{' '}
              {l}
              {p.missing.includes(l) ? ' (missing)' : ' (replaces the current translation)'}
            </label>
          ))}
        </fieldset>
        {project ? (
          <div aria-label="Translation progress">
            <progress max={project.targets.length} value={done} />{' '}
            <span>
              {running
                ? `Translating… ${done} of ${project.targets.length} locales done`
                : `Done: ${done} of ${project.targets.length} locales`}
            </span>
            <ul>
              {project.targets.map((t) => (
                <li key={t.locale} className={t.status}>
                  {t.locale}: {t.status.replace(/_/g, ' ')}
                  {t.error ? ` (${t.error})` : ''}
                </li>
              ))}
            </ul>
            {merged !== null ? (
              <p className="ok">
                {merged.length
                  ? `${translateLabel(merged)}: added to the message (undo reverts it).`
                  : 'Nothing was translated.'}
              </p>
            ) : null}
          </div>
        ) : null}
        {error ? <p className="error">{error}</p> : null}
        <div className="row dialog-actions">
          {project === null ? (
            <button type="submit" className="primary" disabled={targets.length === 0 || !providers}>
              Start translation
            </button>
          ) : null}
          <button type="button" onClick={close}>
            {running ? 'Close (keeps translating on the server)' : 'Close'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
