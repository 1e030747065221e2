// The frame around every screen: the menu (only what the person may use), quick search, the sandbox
// switcher and the user menu.
import { Suspense, lazy, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { MENU, entryPermissions } from './menu.ts';
import { navigate, unsavedReason } from './router.ts';
import { useDialogs } from './dialog.tsx';
import { holdsAny, useCan, useMe, useMeStatus } from './permissions.tsx';
import { QuickSearch } from './quick-search.tsx';
import { SandboxBadge } from './sandbox-badge.tsx';
import { useSession } from './session.tsx';
import { UserMenu } from './user-menu.tsx';
import { HelpLink } from './help-link.tsx';
import { helpTopicForPath } from './help-links.ts';

// The Assistant's panel (and its chart) loads when first opened.
const AssistantPanel = lazy(() =>
  import('../assistant/assistant-panel.tsx').then((m) => ({ default: m.AssistantPanel })),
);

export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  title?: string;
}) {
  return (
    <a
      href={props.to}
      className={props.className}
      title={props.title}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.button !== 0) return;
        e.preventDefault();
        void navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

const MANAGE = '__manage';

/** The sandboxes this person may enter (GET /v1/me), by title, with the current one's type beside. */
function SandboxSwitcher() {
  const { sandbox, setSandbox } = useSession();
  const me = useMe();
  const dialogs = useDialogs();
  const manage = useCan('sandboxes.manage');
  // Until /v1/me answers, the current sandbox alone (the switcher never offers what it cannot open).
  const list = me?.sandboxes ?? [{ name: sandbox, title: sandbox, type: 'development' as const }];
  const current = list.find((s) => s.name === sandbox);
  return (
    <div className="sandbox">
      <label htmlFor="sandbox-switcher" className="small muted">
        Sandbox
      </label>
      <select
        id="sandbox-switcher"
        aria-label="Sandbox"
        value={sandbox}
        onChange={async (e) => {
          const v = e.target.value;
          if (v === MANAGE) {
            e.target.value = sandbox;
            void navigate('/admin/sandboxes');
            return;
          }
          // Another sandbox opens every page afresh: unsaved work is asked about first, as on leaving a page.
          const reason = unsavedReason();
          if (
            reason &&
            !(await dialogs.confirm({
              title: 'Leave without saving?',
              body: <p>{reason}</p>,
              confirmLabel: 'Leave and discard',
              danger: true,
            }))
          )
            return;
          setSandbox(v);
        }}
      >
        {/* Grouped by type: the open list says which sandboxes hold real customers. */}
        {(['production', 'development'] as const).map((type) => {
          const of = list.filter((s) => s.type === type);
          return of.length === 0 ? null : (
            <optgroup key={type} label={type === 'production' ? 'Production' : 'Development'}>
              {of.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.title && s.title !== s.name ? `${s.title} (${s.name})` : s.name}
                </option>
              ))}
            </optgroup>
          );
        })}
        {manage && <option value={MANAGE}>Manage sandboxes…</option>}
      </select>
      {me && current && <SandboxBadge type={current.type} />}
    </div>
  );
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
  return [
    open,
    () => {
      const v = open ? 'closed' : 'open';
      localStorage.setItem('waymark.menu', v);
      setChoice(v);
    },
  ];
}

function Menu(p: { path: string; open: boolean }) {
  const { me, error } = useMeStatus();
  // Nothing is offered before /v1/me says what may be used: no entry appears only to vanish.
  const entries = me
    ? MENU.filter((m) => entryPermissions(m).length === 0 || holdsAny(me, entryPermissions(m)))
    : [];
  let group = '';
  return (
    <nav
      className="menu"
      id="main-menu"
      aria-label="Main menu"
      hidden={!p.open}
      aria-busy={!me && !error}
    >
      {!me && !error && <p className="muted small menu-note">Loading…</p>}
      {error && (
        <p className="error small menu-note" role="alert">
          The menu could not load: {error}
        </p>
      )}
      {entries.map((m) => {
        const heading = m.group !== group ? m.group : null;
        group = m.group;
        return (
          <div key={m.path}>
            {heading && <div className="menu-group">{heading}</div>}
            <Link
              to={m.path}
              className={
                p.path === m.path ||
                p.path.startsWith(`${m.path}/`) ||
                (p.path === '/' && m.path === '/journeys')
                  ? 'active'
                  : ''
              }
            >
              {m.label}
            </Link>
          </div>
        );
      })}
    </nav>
  );
}

export function Shell(props: { path: string; children: ReactNode }) {
  const [menuOpen, toggleMenu] = useMenuOpen();
  const [assistantOpen, setAssistantOpen] = useState(false);
  return (
    <div className={menuOpen ? 'shell' : 'shell menu-closed'}>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-label={menuOpen ? 'Hide the menu' : 'Show the menu'}
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={toggleMenu}
        >
          ☰
        </button>
        <Link to="/journeys" className="brand">
          <span className="logo">◆</span> Waymark
        </Link>
        <QuickSearch />
        <SandboxSwitcher />
        <HelpLink topic={helpTopicForPath(props.path)} className="topbar-help" />
        <button
          type="button"
          className="assistant-button"
          aria-label="Assistant"
          title="Assistant: ask about Waymark or your data"
          aria-expanded={assistantOpen}
          onClick={() => setAssistantOpen((o) => !o)}
        >
          ✦
        </button>
        <UserMenu />
      </header>
      <Menu path={props.path} open={menuOpen} />
      <main className="content">{props.children}</main>
      {assistantOpen && (
        <Suspense fallback={null}>
          <AssistantPanel onClose={() => setAssistantOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
