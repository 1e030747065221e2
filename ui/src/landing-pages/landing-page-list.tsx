// Landing pages: name, address, status, expiry, views, submissions, conversions; create a page (a
// draft with a starter content), open one in its editor.
import { useMemo, useState } from 'react';
import { errorText } from '../api/client.ts';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import { useCan } from '../app/permissions.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { STATUS_LABEL, landingPageApi, starterContent } from './landing-page-api.ts';
import './landing-pages.css';
import { HelpLink } from '../app/help-link.tsx';

export const pageHref = (slug: string): string => `/landing-pages/${encodeURIComponent(slug)}`;

const slugOf = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);

export function LandingPageList() {
  usePageTitle('Landing pages');
  const api = useApi();
  const calls = useMemo(() => landingPageApi(api), [api]);
  const list = useLoad(() => calls.list(), [calls]);
  const reports = useLoad(
    async () =>
      Object.fromEntries(
        await Promise.all(
          (list.data ?? []).map(
            async (p) => [p.key, await calls.report(p.key).catch(() => null)] as const,
          ),
        ),
      ),
    [calls, list.data],
  );
  const canManage = useCan('content.manage');
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const s = slug || slugOf(name);
    try {
      await calls.create({
        slug: s,
        name: name.trim(),
        status: 'draft',
        primary: { content: starterContent(name.trim(), 'Tell people what this page is for.') },
        subPages: [],
      });
      await navigate(pageHref(s));
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section className="page landing-pages">
      <div className="page-head">
        <h1>Landing pages</h1>
        <HelpLink topic="landingPages" />
      </div>
      {canManage && (
        <form
          className="lp-create"
          onSubmit={(e) => void create(e)}
          aria-label="Create a landing page"
        >
          <label>
            Name
            <input
              value={name}
              required
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            Address
            <span className="lp-slug">
              <span className="muted">/lp/…/</span>
              <input
                value={slug}
                placeholder={slugOf(name) || 'page-address'}
                pattern="[a-z0-9][a-z0-9-]*"
                maxLength={80}
                onChange={(e) => setSlug(e.target.value)}
              />
            </span>
          </label>
          <button className="primary" type="submit" disabled={!name.trim()}>
            Create landing page
          </button>
        </form>
      )}
      {(list.error ?? error) && (
        <p className="error" role="alert">
          {error ?? list.error}
        </p>
      )}
      <table className="grid list" aria-label="Landing pages">
        <thead>
          <tr>
            <th>Name</th>
            <th>Address</th>
            <th>Status</th>
            <th>Expires</th>
            <th className="num">Views</th>
            <th className="num">Submissions</th>
            <th className="num">Conversions</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map(({ key, spec }) => {
            const r = reports.data?.[key];
            return (
              <tr key={key}>
                <td>
                  <Link to={pageHref(key)}>{spec.name}</Link>
                  {spec.subPages.length > 0 && (
                    <div className="muted small">
                      + {spec.subPages.map((s) => s.name).join(', ')}
                    </div>
                  )}
                </td>
                <td className="muted">/lp/…/{key}</td>
                <td>
                  <span className={`lp-status lp-status-${spec.status}`}>
                    {STATUS_LABEL[spec.status]}
                  </span>
                </td>
                <td>{spec.expiresAt ? new Date(spec.expiresAt).toLocaleString() : '—'}</td>
                <td className="num">{r?.views ?? '–'}</td>
                <td className="num">{r?.submissions ?? '–'}</td>
                <td className="num">{r?.conversions ?? '–'}</td>
              </tr>
            );
          })}
          {!list.loading && (list.data ?? []).length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No landing pages yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
