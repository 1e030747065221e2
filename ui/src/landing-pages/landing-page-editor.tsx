// One landing page: its name, address and expiry; its pages (the primary page and sub-pages such as a
// thank-you page), each designed in the Email Designer with its form's fields edited beside it;
// save (with the revision it was read at), publish or unpublish, preview as a test profile, the
// public link, and the report (views, submissions, refused, conversions).
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { LandingPage, LandingPageContent } from '@waymark/shared/model/landing-page.ts';
import type { EmailContent } from '@waymark/shared/model/message-content.ts';
import { errorText } from '../api/client.ts';
import { usePageTitle } from '../app/page-title.ts';
import { useApi, useSession } from '../app/session.tsx';
import { useCan } from '../app/permissions.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { EMPTY_CATALOG, loadCatalog } from '../canvas/catalog.ts';
import { Designer } from '../designer/designer.tsx';
import { emailContentOf } from '../designer/host-journey.tsx';
import { FormFields, emptyForm } from './form-fields.tsx';
import {
  STATUS_LABEL,
  landingPageApi,
  starterContent,
  type PagePreview,
} from './landing-page-api.ts';
import './landing-pages.css';
import { HelpLink } from '../app/help-link.tsx';

/** '' for the primary page, else a sub-page's slug. */
type PageId = string;

const pageOf = (spec: LandingPage, id: PageId): LandingPageContent | undefined =>
  id === '' ? spec.primary : spec.subPages.find((s) => s.slug === id);

function withPage(spec: LandingPage, id: PageId, next: LandingPageContent): LandingPage {
  if (id === '') return { ...spec, primary: next };
  return { ...spec, subPages: spec.subPages.map((s) => (s.slug === id ? { ...s, ...next } : s)) };
}

const localInput = (iso: string | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function LandingPageEditor(p: { slug: string }) {
  const api = useApi();
  const { sandbox } = useSession();
  const calls = useMemo(() => landingPageApi(api), [api]);
  const loaded = useLoad(() => calls.get(p.slug), [calls, p.slug]);
  const report = useLoad(() => calls.report(p.slug), [calls, p.slug]);
  const [spec, setSpec] = useState<LandingPage | null>(null);
  const revision = useRef(0);
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | null>(null);
  const [designing, setDesigning] = useState<PageId | null>(null);
  const [preview, setPreview] = useState<(PagePreview & { page: PageId }) | null>(null);
  const [testProfile, setTestProfile] = useState('');
  const canManage = useCan('content.manage');
  usePageTitle(spec?.name ?? p.slug, 'Landing pages');

  useEffect(() => {
    if (loaded.data) {
      setSpec(loaded.data.spec);
      revision.current = loaded.data.revision;
      setDirty(false);
    }
  }, [loaded.data]);

  if (loaded.error)
    return (
      <section className="page landing-page">
        <p className="error" role="alert">
          {loaded.error}
        </p>
      </section>
    );
  if (!spec) return <section className="page landing-page" aria-busy="true" />;

  const change = (next: LandingPage) => {
    setSpec(next);
    setDirty(true);
    setMessage(null);
  };
  const run = async (
    what: () => Promise<{ revision: number; spec: LandingPage }>,
    done: string,
  ) => {
    setMessage(null);
    try {
      const r = await what();
      revision.current = r.revision;
      setSpec(r.spec);
      setDirty(false);
      setMessage({ tone: 'ok', text: done });
      report.reload();
    } catch (err) {
      setMessage({ tone: 'error', text: errorText(err) });
    }
  };
  const save = () => run(() => calls.save(spec.slug, spec, revision.current), 'Saved.');
  const publish = () =>
    run(async () => {
      if (dirty) revision.current = (await calls.save(spec.slug, spec, revision.current)).revision;
      return calls.publish(spec.slug);
    }, 'Published: the page answers at its address.');
  const unpublish = () =>
    run(() => calls.unpublish(spec.slug), 'Unpublished: the address answers 404.');
  const showPreview = async (page: PageId) => {
    setMessage(null);
    try {
      if (dirty) {
        revision.current = (await calls.save(spec.slug, spec, revision.current)).revision;
        setDirty(false);
      }
      const r = await calls.preview(spec.slug, {
        ...(page ? { subPage: page } : {}),
        ...(testProfile.trim() ? { identity: { namespace: 'Email', id: testProfile.trim() } } : {}),
      });
      setPreview({ ...r, page });
    } catch (err) {
      setMessage({ tone: 'error', text: errorText(err) });
    }
  };
  const addSubPage = () => {
    const taken = new Set(spec.subPages.map((s) => s.slug));
    let slug = 'thank-you';
    for (let n = 2; taken.has(slug); n++) slug = `page-${n}`;
    const name = slug === 'thank-you' ? 'Thank you' : `Page ${spec.subPages.length + 1}`;
    change({
      ...spec,
      subPages: [
        ...spec.subPages,
        { slug, name, content: starterContent(name, 'Thank you, your answers are saved.') },
      ],
    });
  };
  const publicPath = `/lp/${encodeURIComponent(sandbox)}/${encodeURIComponent(spec.slug)}`;
  const pages: Array<{ id: PageId; name: string }> = [
    { id: '', name: 'Primary page' },
    ...spec.subPages.map((s) => ({ id: s.slug, name: s.name })),
  ];

  return (
    <section className="page landing-page">
      <div className="page-head">
        <h1>{spec.name}</h1>
        <span className={`lp-status lp-status-${spec.status}`}>{STATUS_LABEL[spec.status]}</span>
        <HelpLink topic="landingPages" />
        <span className="spacer" />
        {canManage && (
          <>
            <button type="button" disabled={!dirty} onClick={() => void save()}>
              Save
            </button>
            {spec.status === 'published' ? (
              <button type="button" onClick={() => void unpublish()}>
                Unpublish
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => void publish()}>
                Publish
              </button>
            )}
          </>
        )}
      </div>
      <p className="muted">
        <Link to="/landing-pages">Landing pages</Link> ·{' '}
        {spec.status === 'published' ? (
          <a href={publicPath} target="_blank" rel="noreferrer">
            {publicPath}
          </a>
        ) : (
          <span>{publicPath} (answers once published)</span>
        )}
      </p>
      {message && (
        <p
          className={message.tone === 'error' ? 'error' : 'lp-ok'}
          role={message.tone === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <div className="lp-layout">
        <div className="lp-main">
          <fieldset className="lp-settings" disabled={!canManage}>
            <legend>Settings</legend>
            <label>
              Name
              <input
                value={spec.name}
                onChange={(e) => change({ ...spec, name: e.target.value })}
              />
            </label>
            <label>
              Expires
              <input
                type="datetime-local"
                value={localInput(spec.expiresAt)}
                onChange={(e) => {
                  const { expiresAt: _drop, ...rest } = spec;
                  change(
                    e.target.value
                      ? { ...rest, expiresAt: new Date(e.target.value).toISOString() }
                      : rest,
                  );
                }}
              />
            </label>
          </fieldset>
          {pages.map(({ id, name }) => {
            const page = pageOf(spec, id)!;
            return (
              <article key={id || '(primary)'} className="lp-page" aria-label={name}>
                <header>
                  <h2>{name}</h2>
                  <span className="muted">
                    {publicPath}
                    {id ? `/${id}` : ''}
                  </span>
                  <span className="spacer" />
                  {canManage && (
                    <button type="button" className="primary" onClick={() => setDesigning(id)}>
                      Edit content
                    </button>
                  )}
                  <button type="button" onClick={() => void showPreview(id)}>
                    Preview
                  </button>
                  {canManage && id !== '' && (
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        change({ ...spec, subPages: spec.subPages.filter((s) => s.slug !== id) })
                      }
                    >
                      Remove
                    </button>
                  )}
                </header>
                {id !== '' && (
                  <div className="lp-subpage-fields">
                    <label>
                      Name
                      <input
                        value={name}
                        disabled={!canManage}
                        onChange={(e) =>
                          change({
                            ...spec,
                            subPages: spec.subPages.map((s) =>
                              s.slug === id ? { ...s, name: e.target.value } : s,
                            ),
                          })
                        }
                      />
                    </label>
                  </div>
                )}
                <p className="lp-title">
                  Page title: <strong>{page.content.subject || '(none)'}</strong>
                </p>
                {page.form ? (
                  <FormFields
                    form={page.form}
                    subPages={spec.subPages}
                    readOnly={!canManage}
                    onChange={(form) => {
                      const { form: _drop, ...rest } = page;
                      change(withPage(spec, id, form ? { ...rest, form } : rest));
                    }}
                  />
                ) : (
                  canManage && (
                    <button
                      type="button"
                      onClick={() => change(withPage(spec, id, { ...page, form: emptyForm() }))}
                    >
                      Add a form
                    </button>
                  )
                )}
              </article>
            );
          })}
          {canManage && (
            <button type="button" onClick={addSubPage}>
              Add sub-page
            </button>
          )}
        </div>
        <aside className="lp-side">
          <section aria-label="Report">
            <h2>Report</h2>
            {report.data ? (
              <dl className="lp-report">
                <dt>Views</dt>
                <dd>{report.data.views}</dd>
                <dt>Submissions</dt>
                <dd>{report.data.submissions}</dd>
                <dt>Conversions</dt>
                <dd>
                  {report.data.conversions}{' '}
                  <span className="muted small">
                    ({(report.data.conversionRate * 100).toFixed(1)}%)
                  </span>
                </dd>
                <dt>Refused</dt>
                <dd>{report.data.refused}</dd>
              </dl>
            ) : (
              <p className="muted">{report.error ?? '…'}</p>
            )}
          </section>
          <section aria-label="Test">
            <h2>Test</h2>
            <label>
              Test profile (email)
              <input
                type="email"
                value={testProfile}
                placeholder="e.g. sarah.miller@luma.example"
                onChange={(e) => setTestProfile(e.target.value)}
              />
            </label>
            <p className="muted small">Previews show the page as this profile sees it.</p>
          </section>
        </aside>
      </div>
      {preview &&
        createPortal(
          <div className="lp-preview" role="dialog" aria-label="Landing page preview">
            <div className="lp-preview-head">
              <strong>Preview: {preview.title}</strong>
              {preview.profileUrl && (
                <a href={preview.profileUrl} target="_blank" rel="noreferrer">
                  Open as this profile
                </a>
              )}
              <span className="spacer" />
              <button type="button" onClick={() => setPreview(null)}>
                Close
              </button>
            </div>
            <iframe title="Landing page preview" sandbox="" srcDoc={preview.html} />
          </div>,
          document.body,
        )}
      {designing !== null &&
        createPortal(
          <PageDesigner
            slug={spec.slug}
            page={designing}
            title={`${spec.name} · ${pages.find((x) => x.id === designing)?.name ?? ''}`}
            content={pageOf(spec, designing)!.content}
            onApply={(c) => {
              const page = pageOf(spec, designing)!;
              change(withPage(spec, designing, { ...page, content: c }));
              setDesigning(null);
            }}
            onClose={() => setDesigning(null)}
          />,
          document.body,
        )}
    </section>
  );
}

function PageDesigner(p: {
  slug: string;
  page: PageId;
  title: string;
  content: LandingPageContent['content'];
  onApply(c: EmailContent): void;
  onClose(): void;
}) {
  const api = useApi();
  const catalog = useLoad(() => loadCatalog(api), [api]).data ?? EMPTY_CATALOG;
  const content = useMemo(() => emailContentOf(p.content as Record<string, unknown>), [p.content]);
  return (
    <Designer
      host={{ kind: 'landing-page', key: p.slug, page: p.page }}
      title={p.title}
      content={content}
      catalog={catalog}
      applyLabel="Done"
      onApply={(c) => p.onApply(c)}
      onClose={p.onClose}
    />
  );
}
