// Export: the whole sandbox, or a journey and everything it uses (the server's closure: fragments
// inside fragments, assets with their images, rule sets, event types, ...), shown grouped by kind
// before it is downloaded or copied to the import side.
import { useEffect, useState } from 'react';
import { errorText } from '../api/client.ts';
import type { JourneySummary, JourneySummaryList } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { groupByKind, kindTitle, objectKey, objectLabel } from './package-types.ts';
import type { Pkg } from './package-types.ts';

function download(name: string, text: string, type: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

const fileName = (name: string) =>
  `${
    name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'package'
  }`;

export function PackageExport(p: { onCopy(text: string): void }) {
  const api = useApi();
  const [journeys, setJourneys] = useState<readonly JourneySummary[]>([]);
  const [journey, setJourney] = useState('');
  const [pkg, setPkg] = useState<Pkg | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    api.get<JourneySummaryList>('/v1/journeys').then(
      (r) => {
        if (live) setJourneys(r.items);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);

  async function prepare() {
    setError(null);
    setLoading(true);
    try {
      setPkg(
        await api.get<Pkg>(
          `/v1/packages/export${journey ? `?journey=${encodeURIComponent(journey)}` : ''}`,
        ),
      );
    } catch (err) {
      setError(errorText(err));
      setPkg(null);
    } finally {
      setLoading(false);
    }
  }

  const groups = pkg ? groupByKind(pkg.objects) : [];
  return (
    <div className="card package-card">
      <h2>Export</h2>
      <p className="muted small">
        A package carries objects to another sandbox or another Waymark. A journey comes with
        everything it uses.
      </p>
      <div className="row export-pick">
        <label>
          What to export
          <select
            aria-label="What to export"
            value={journey}
            onChange={(e) => {
              setJourney(e.target.value);
              setPkg(null);
            }}
          >
            <option value="">Everything in this sandbox</option>
            {journeys.map((j) => (
              <option key={j.id} value={j.id}>
                {j.name} and what it uses
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={loading} onClick={() => void prepare()}>
          {loading ? 'Preparing…' : 'Prepare export'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {pkg && (
        <>
          <h3>
            {journeys.find((j) => j.id === journey)?.name.concat(' and what it uses') ??
              pkg.name ??
              'Package'}{' '}
            <span className="muted small">
              {pkg.objects.length} object{pkg.objects.length === 1 ? '' : 's'}
            </span>
          </h3>
          <div className="package-contents" role="list" aria-label="Package contents">
            {groups.map(([kind, objects]) => (
              <div key={kind} role="listitem" className="kind-group">
                <h4>
                  {kindTitle(kind)} <span className="muted">({objects.length})</span>
                </h4>
                <ul>
                  {objects.map((o) => {
                    const key = objectKey(o);
                    const label = objectLabel(o);
                    return (
                      <li key={`${kind}:${key}`}>
                        <span>{label}</span>
                        {label !== key && <span className="muted small"> {key}</span>}
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={() =>
                download(
                  `${fileName(pkg.name ?? 'package')}.json`,
                  JSON.stringify(pkg, null, 2),
                  'application/json',
                )
              }
            >
              Download
            </button>
            <button type="button" onClick={() => p.onCopy(JSON.stringify(pkg, null, 2))}>
              Copy to import
            </button>
          </div>
        </>
      )}
    </div>
  );
}
