// The frame around every screen: left menu, quick search, sandbox switcher, sign-out.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { ReactNode } from 'react';
import { MENU } from './menu.ts';
import { navigate, unsavedReason } from './router.ts';
import { useDialogs } from './dialog.tsx';
import { QuickSearch } from './quick-search.tsx';
import { knownSandboxes, rememberSandbox, useSession } from './session.tsx';

export function Link(props: { to: string; children: ReactNode; className?: string; title?: string }) {
  return (
    <a href={props.to} className={props.className} title={props.title}
      onClick={(e) => { if (e.metaKey || e.ctrlKey || e.button !== 0) return; e.preventDefault(); navigate(props.to); }}>
      {props.children}
    </a>
  );
}

export interface Me { readonly name: string | null; readonly sandboxes: readonly string[]; readonly sandbox: string; readonly rights: readonly string[] }

/** Who the key is (GET /v1/me); null until it answers or when the server does not say. */
function useMe(): Me | null {
  const { api } = useSession();
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    let live = true;
    api.get<Me>('/v1/me').then((m) => { if (live) setMe(m); }, () => undefined);
    return () => { live = false; };
  }, [api]);
  return me;
}

function SandboxSwitcher(p: { me: Me | null }) {
  const { sandbox, setSandbox } = useSession();
  const dialogs = useDialogs();
  const [typed, setTyped] = useState(() => knownSandboxes(sandbox));
  // A key limited to some sandboxes offers those; an admin key ('*') offers the typed ones and "Other".
  const any = !p.me || p.me.sandboxes.includes('*');
  const list = any ? [...new Set([...typed, ...(p.me?.sandboxes ?? []).filter((s) => s !== '*')])] : [...new Set([sandbox, ...p.me!.sandboxes])];
  return (
    <label className="sandbox">Sandbox
      <select aria-label="Sandbox" value={sandbox} onChange={async (e) => {
        const v = e.target.value;
        // Another sandbox opens every page afresh: unsaved work is asked about first, as on leaving a page.
        const reason = unsavedReason();
        if (reason && !(await dialogs.confirm({ title: 'Leave without saving?', body: <p>{reason}</p>, confirmLabel: 'Leave and discard', danger: true }))) return;
        if (v !== '__new') { setSandbox(v); return; }
        void dialogs.prompt({ title: 'Open another sandbox', label: 'Sandbox name', confirmLabel: 'Open',
          validate: (s) => (/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(s) ? null : 'Letters, digits, - and _ (at most 63), starting with a letter or digit') })
          .then((name) => {
            if (!name) return;
            rememberSandbox(name);
            setTyped(knownSandboxes(name));
            setSandbox(name);
          });
      }}>
        {list.map((s) => <option key={s} value={s}>{s}</option>)}
        {any && <option value="__new">Other sandbox…</option>}
      </select>
    </label>
  );
}

/** The menu entries this key may use: those whose list route does not answer 401 or 403. */
function useAllowedEntries(): ReadonlySet<string> | null {
  const { api } = useSession();
  const [allowed, setAllowed] = useState<Set<string> | null>(null);
  useEffect(() => {
    let live = true;
    const probes = [...new Set(MENU.flatMap((m) => (m.probe ? [m.probe] : [])))];
    void Promise.all(probes.map((p) => api.get(p).then(() => [p, true] as const, (e: unknown) => [p, !(e instanceof ApiError && (e.status === 401 || e.status === 403))] as const)))
      .then((rs) => { if (live) { const ok = new Set(rs.filter(([, v]) => v).map(([p]) => p)); setAllowed(new Set(MENU.filter((m) => !m.probe || ok.has(m.probe)).map((m) => m.path))); } });
    return () => { live = false; };
  }, [api]);
  return allowed;
}

/** The left menu folds away on narrow windows (below 1200 px) unless the person opened it; a choice is remembered. */
function useMenuOpen(): [boolean, () => void] {
  const [choice, setChoice] = useState<string | null>(() => localStorage.getItem('waymark.menu'));
  const [wide, setWide] = useState(() => innerWidth >= 1200);
  useEffect(() => {
    const on = () => setWide(innerWidth >= 1200);
    addEventListener('resize', on);
    return () => removeEventListener('resize', on);
  }, []);
  const open = choice === 'open' || (choice !== 'closed' && wide);
  return [open, () => { const v = open ? 'closed' : 'open'; localStorage.setItem('waymark.menu', v); setChoice(v); }];
}

export function Shell(props: { path: string; children: ReactNode }) {
  const { signOut } = useSession();
  const [menuOpen, toggleMenu] = useMenuOpen();
  const allowed = useAllowedEntries();
  const me = useMe();
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key === '/' && !/INPUT|TEXTAREA|SELECT/.test(t.tagName) && !t.isContentEditable) {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('.quick-search input')?.focus();
      }
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);
  let group = '';
  return (
    <div className={menuOpen ? 'shell' : 'shell menu-closed'}>
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-label={menuOpen ? 'Hide the menu' : 'Show the menu'} aria-expanded={menuOpen} aria-controls="main-menu" onClick={toggleMenu}>☰</button>
        <Link to="/journeys" className="brand"><span className="logo">◆</span> Waymark</Link>
        <QuickSearch />
        {me?.name && <span className="muted small" data-testid="me" title={`Rights: ${me.rights.join(', ')}`}>{me.name}</span>}
        <SandboxSwitcher me={me} />
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <nav className="menu" id="main-menu" aria-label="Main menu" hidden={!menuOpen}>
        {MENU.filter((m) => !allowed || allowed.has(m.path)).map((m) => {
          const heading = m.group !== group ? m.group : null;
          group = m.group;
          return (
            <div key={m.path}>
              {heading && <div className="menu-group">{heading}</div>}
              <Link to={m.path} className={props.path === m.path || props.path.startsWith(`${m.path}/`) ? 'active' : ''}>{m.label}</Link>
            </div>
          );
        })}
      </nav>
      <main className="content">{props.children}</main>
    </div>
  );
}
