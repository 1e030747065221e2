// Top right: who is signed in (name, roles in this sandbox), sign out, and sign out everywhere (every
// device of this person: for a lost laptop).
import { useEffect, useRef, useState } from 'react';
import { errorText, sessionName } from '../api/client.ts';
import { useDialogs } from './dialog.tsx';
import { useMe } from './permissions.tsx';
import { roleTitles } from './role-titles.ts';
import { useSession } from './session.tsx';

/** "Ana Lopez" → "AL", "ops@luma.test" → "O". */
function initials(name: string): string {
  const words = name
    .split('@')[0]!
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return (words.length > 1 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '?')[0]!).toUpperCase();
}

export function UserMenu() {
  const { user, signOut, signOutEverywhere } = useSession();
  const me = useMe();
  const dialogs = useDialogs();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const name = me?.actor.name ?? sessionName(user);
  const person = (me?.actor.kind ?? user.actor?.kind) === 'user';

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        box.current?.querySelector<HTMLButtonElement>('.user-button')?.focus();
      }
    };
    addEventListener('mousedown', away);
    addEventListener('keydown', esc);
    return () => {
      removeEventListener('mousedown', away);
      removeEventListener('keydown', esc);
    };
  }, [open]);

  async function everywhere() {
    setOpen(false);
    const yes = await dialogs.confirm({
      title: 'Sign out everywhere?',
      body: (
        <p>
          Every session of <strong>{name}</strong> ends now: on this computer and on every other
          device or browser. Work not saved elsewhere is lost.
        </p>
      ),
      confirmLabel: 'Sign out everywhere',
      danger: true,
    });
    if (!yes) return;
    try {
      await signOutEverywhere();
    } catch (err) {
      setError(errorText(err));
      setOpen(true);
    }
  }

  return (
    <div className="user-menu" ref={box}>
      <button
        type="button"
        className="user-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={`Account: ${name}`}
        onClick={() => {
          setOpen((o) => !o);
          setError(null);
        }}
      >
        <span className="avatar" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="user-name" data-testid="me">
          {name}
        </span>
      </button>
      {open && (
        <div className="user-popover" role="group" aria-label="Account">
          <div className="who">
            <strong>{name}</strong>
            <span className="muted small">
              {person ? 'Signed in with your password' : 'Signed in with an API key'}
            </span>
            {me && (
              <span className="small" data-testid="roles">
                Role: {roleTitles(me)}
              </span>
            )}
            {me && (
              <span className="muted small">
                in sandbox {me.sandboxes.find((s) => s.name === me.sandbox)?.title ?? me.sandbox}
              </span>
            )}
          </div>
          {error && (
            <p className="error small" role="alert">
              {error}
            </p>
          )}
          <button
            type="button"
            onClick={() => {
              setOpen(false);
              signOut();
            }}
          >
            Sign out
          </button>
          {person && (
            <button type="button" className="danger" onClick={() => void everywhere()}>
              Sign out everywhere…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
