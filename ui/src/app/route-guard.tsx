// A page the person may not open says so, in words, instead of a wall of 403s: which permission it
// needs, what they may open instead. The home page of someone who may not view journeys (a
// data-ingest account) is a short welcome that explains their role.
import type { ReactNode } from 'react';
import { builtInRole } from '@waymark/shared/access/roles.ts';
import type { MeView } from '@waymark/shared/api/access.ts';
import { MENU, entryOf, entryPermissions } from './menu.ts';
import { holdsAny, useMeStatus } from './permissions.tsx';
import { roleTitles } from './role-titles.ts';
import { Link } from './shell.tsx';

/** ": sends events, nothing else (for pipelines)." for one built-in role, else ".". */
function described(roles: readonly string[]): string {
  const d = roles.length === 1 ? builtInRole(roles[0]!)?.description : undefined;
  return d ? ` — ${d.charAt(0).toLowerCase()}${d.slice(1)}` : '.';
}

/** The menu entries the person may open. */
export const openEntries = (me: MeView) =>
  MENU.filter((m) => entryPermissions(m).length === 0 || holdsAny(me, entryPermissions(m)));

function Elsewhere(p: { me: MeView }) {
  const open = openEntries(p.me);
  if (open.length === 0) return null;
  return (
    <>
      <p>You can open:</p>
      <ul className="open-entries">
        {open.map((m) => (
          <li key={m.path}>
            <Link to={m.path}>{m.label}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export function RouteGuard(p: { path: string; children: ReactNode }) {
  const { me } = useMeStatus();
  const entry = entryOf(p.path);
  // Until /v1/me answers, or for pages outside the menu, the page itself asks the server.
  if (!me || !entry) return <>{p.children}</>;
  const needed = entryPermissions(entry);
  if (needed.length === 0 || holdsAny(me, needed)) return <>{p.children}</>;
  const home = p.path === '/' || p.path === '/journeys';
  return (
    <section className="page no-access" aria-label={home ? 'Welcome' : 'No access'}>
      {home ? (
        <>
          <h1>Welcome to Waymark</h1>
          <p className="lead">
            You are signed in as <strong>{me.actor.name}</strong>. Your role here is{' '}
            <strong>{roleTitles(me)}</strong>
            {described(me.roles)}
          </p>
          <p>
            It does not include viewing journeys (<code>journeys.view</code>), so there is little to
            see in the console for you in this sandbox. Ask an administrator if you need more.
          </p>
        </>
      ) : (
        <>
          <h1>{entry.label}</h1>
          <p className="lead">
            You do not have access to {entry.label.toLowerCase()} in this sandbox.
          </p>
          <p>
            It needs the permission{' '}
            {needed.map((n, i) => (
              <span key={n}>
                {i > 0 && ' or '}
                <code>{n}</code>
              </span>
            ))}
            ; your role is <strong>{roleTitles(me)}</strong>. Ask an administrator if you need it.
          </p>
        </>
      )}
      <Elsewhere me={me} />
    </section>
  );
}
