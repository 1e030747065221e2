// A save refused because someone saved a newer version meanwhile (409 version_conflict): the person
// chooses to reload theirs, compare the two field by field, or keep editing. Nothing is overwritten
// unless they say so after comparing.
import type { Dialogs } from '../app/dialog.tsx';

export type ConflictChoice = 'reload' | 'overwrite' | 'keep';

/** Each leaf of a JSON value by its path ("schema.properties.total.type"). */
export function flatten(v: unknown, at = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(at, '[]');
    v.forEach((x, i) => flatten(x, `${at}[${i}]`, out));
  } else if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) out.set(at, '{}');
    for (const [k, x] of entries) flatten(x, at ? `${at}.${k}` : k, out);
  } else {
    out.set(at || '(whole)', JSON.stringify(v));
  }
  return out;
}

/** The fields whose values differ: [path, mine, theirs] (undefined where one side has none). */
export function differences(
  mine: unknown,
  theirs: unknown,
): Array<[string, string | undefined, string | undefined]> {
  const a = flatten(mine);
  const b = flatten(theirs);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => [p, a.get(p), b.get(p)]);
}

function Compare(p: { mine: unknown; theirs: unknown; theirRevision: number }) {
  const rows = differences(p.mine, p.theirs);
  return (
    <>
      <p>
        {rows.length === 0
          ? 'Your version and theirs are the same.'
          : `${rows.length} field${rows.length === 1 ? '' : 's'} differ${rows.length === 1 ? 's' : ''}:`}
      </p>
      {rows.length > 0 && (
        <div className="compare-wrap">
          <table className="grid compare" aria-label="Differences">
            <thead>
              <tr>
                <th>Field</th>
                <th>Yours</th>
                <th>Theirs (revision {p.theirRevision})</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 60).map(([path, mine, theirs]) => (
                <tr key={path}>
                  <td>
                    <code>{path}</code>
                  </td>
                  <td>{mine ?? <span className="muted">(none)</span>}</td>
                  <td>{theirs ?? <span className="muted">(none)</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 60 && <p className="muted small">And {rows.length - 60} more.</p>}
    </>
  );
}

export async function resolveConflict(
  dialogs: Dialogs,
  name: string,
  mine: unknown,
  theirs: { spec: unknown; revision: number } | null,
): Promise<ConflictChoice> {
  if (!theirs) {
    const v = await dialogs.choose<ConflictChoice>({
      title: `"${name}" was deleted by someone else`,
      body: <p>Your changes are still here. Save them as a new object, or keep editing.</p>,
      actions: [{ label: 'Save as new', value: 'overwrite' }],
      cancelLabel: 'Keep editing',
    });
    return v ?? 'keep';
  }
  const v = await dialogs.choose<ConflictChoice | 'compare'>({
    title: `Someone else saved "${name}"`,
    body: (
      <p>
        A newer version (revision {theirs.revision}) was saved while you were editing. Your changes
        are not saved yet.
      </p>
    ),
    actions: [
      { label: 'Reload theirs', value: 'reload', tone: 'plain' },
      { label: 'Compare', value: 'compare', tone: 'primary' },
    ],
    cancelLabel: 'Keep editing',
  });
  if (v !== 'compare') return v ?? 'keep';
  const next = await dialogs.choose<ConflictChoice>({
    title: `Your changes and theirs`,
    body: <Compare mine={mine} theirs={theirs.spec} theirRevision={theirs.revision} />,
    actions: [
      { label: 'Reload theirs', value: 'reload', tone: 'plain' },
      { label: 'Save mine over theirs', value: 'overwrite', tone: 'danger' },
    ],
    cancelLabel: 'Keep editing',
  });
  return next ?? 'keep';
}
