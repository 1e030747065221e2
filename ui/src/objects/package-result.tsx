// What an import did, object by object, and what is left to do: hosts the sandbox does not allow yet
// ("LoyaltyService calls api.loyalty.example:443, which this sandbox does not allow. [Allow it]") and
// secrets that came redacted (each with a link to the object's form to set it).
import { useState } from 'react';
import { errorText } from '../api/client.ts';
import { Link } from '../app/shell.tsx';
import { useApi } from '../app/session.tsx';
import { hrefOf, kindWord } from './object-api.ts';
import { groupByKind, kindTitle } from './package-types.ts';
import type { ApplyResult, ApplyStatus, HostWarning } from './package-types.ts';

const STATUS_WORDS: Record<ApplyStatus, string> = {
  created: 'Created',
  updated: 'Replaced',
  unchanged: 'Unchanged',
  skipped: 'Kept the existing one',
  copied: 'Copied',
  published: 'Published',
  publish_failed: 'Imported as a draft: could not publish',
};

function AllowHost(p: { w: HostWarning }) {
  const api = useApi();
  const [state, setState] = useState<{ done: boolean; error?: string }>({ done: false });
  const who = p.w.action ?? p.w.key;
  return (
    <li className="host-warning">
      <span>
        <strong>{who}</strong> calls <code>{p.w.host}</code>, which this sandbox does not allow.
      </span>{' '}
      {state.done ? (
        <span className="ok" role="status">
          Allowed: {p.w.entry} is in this sandbox's allowed hosts.
        </span>
      ) : (
        <button
          type="button"
          onClick={() =>
            void api.post('/v1/allowed-hosts', { host: p.w.entry }).then(
              () => setState({ done: true }),
              (err: unknown) => setState({ done: false, error: errorText(err) }),
            )
          }
        >
          Allow it
        </button>
      )}
      {state.error && (
        <div className="error" role="alert">
          {state.error}
        </div>
      )}
    </li>
  );
}

export function HostWarnings(p: { warnings: readonly HostWarning[]; before?: boolean }) {
  // One line per host and object: a custom action's endpoint and token endpoint may share a host.
  const seen = new Set<string>();
  const unique = p.warnings.filter((w) => {
    const id = `${w.kind}:${w.key}:${w.entry}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return (
    <section className="package-warnings" aria-label="Hosts not allowed">
      <h3>
        {p.before
          ? 'Hosts this sandbox does not allow yet'
          : 'Allow these hosts, or the calls will fail'}
      </h3>
      <ul className="plain">
        {unique.map((w) => (
          <AllowHost key={`${w.kind}:${w.key}:${w.entry}`} w={w} />
        ))}
      </ul>
    </section>
  );
}

export function PackageResult(p: { result: ApplyResult; labels: ReadonlyMap<string, string> }) {
  const r = p.result;
  const count = (s: ApplyStatus) => r.objects.filter((o) => o.status === s).length;
  return (
    <section className="package-result" aria-label="Import result">
      <h3>Imported “{r.name}”</h3>
      <p role="status" className="ok">
        {r.objects.length} objects:{' '}
        {(
          [
            ['created', 'created'],
            ['updated', 'replaced'],
            ['published', 'published'],
            ['copied', 'copied'],
            ['skipped', 'kept as they were here'],
            ['unchanged', 'unchanged'],
            ['publish_failed', 'not published'],
          ] as const
        )
          .filter(([s]) => count(s) > 0)
          .map(([s, w]) => `${count(s)} ${w}`)
          .join(', ')}
        .
      </p>
      {r.warnings.length > 0 && <HostWarnings warnings={r.warnings} />}
      {r.needsSecret.length > 0 && (
        <section className="package-warnings secrets" aria-label="Needs a secret">
          <h3>Needs a secret</h3>
          <p className="small">
            Secrets never travel in packages. Until each is set, using the object fails with a
            message naming it.
          </p>
          <ul className="plain">
            {r.needsSecret.map((s) => (
              <li key={`${s.kind}:${s.key}:${s.path}`}>
                The {kindWord(s.kind)}{' '}
                <strong>{p.labels.get(`${s.kind}:${s.key}`) ?? s.key}</strong>:{' '}
                <code>{s.path}</code> — <Link to={hrefOf(s)}>Set it in the form</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <table className="grid" aria-label="Imported objects">
        <thead>
          <tr>
            <th>Object</th>
            <th>Result</th>
          </tr>
        </thead>
        {groupByKind(r.objects).map(([kind, objects]) => (
          <tbody key={kind}>
            <tr className="kind-row">
              <th colSpan={2}>{kindTitle(kind)}</th>
            </tr>
            {objects.map((o) => {
              const key = o.copiedAs ?? o.key;
              const label = p.labels.get(`${o.kind}:${o.key}`) ?? o.key;
              return (
                <tr key={`${o.kind}:${o.key}`}>
                  <td>
                    <Link to={hrefOf({ kind: o.kind, key })}>{label}</Link>
                    {label !== o.key && <span className="muted small"> {o.key}</span>}
                  </td>
                  <td className={o.status === 'publish_failed' ? 'error' : ''}>
                    {STATUS_WORDS[o.status]}
                    {o.copiedAs && (
                      <>
                        {' '}
                        as <code>{o.copiedAs}</code>
                      </>
                    )}
                    {o.message && <div className="muted small">{o.message}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </section>
  );
}
