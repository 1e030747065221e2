// Sign-in: email and password (or, for automation people, an API key), exchanged for a session
// (POST /v1/session) and forgotten; the browser keeps only the session's HttpOnly cookie. The
// sandbox is chosen after signing in, from those the person may enter (GET /v1/me), never typed.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { MeView } from '@waymark/shared/api/access.ts';
import { Api, errorText, openSession, requestPasswordReset } from '../api/client.ts';
import type { Credentials, SessionInfo } from '../api/client.ts';
import { SandboxBadge } from './sandbox-badge.tsx';
import { meIn } from './sign-in-flow.ts';
import { SSO_ERROR_MESSAGES, type SsoErrorCode } from '@waymark/shared/access/sso-mapping.ts';

/** Single sign-on, when the server has an identity provider (GET /v1/sso): where the button goes. */
function useSsoLogin(): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/v1/sso')
      .then((r) => (r.ok ? (r.json() as Promise<{ enabled?: boolean; loginUrl?: string }>) : null))
      .then(
        (s) => {
          if (live && s?.enabled && s.loginUrl) setUrl(s.loginUrl);
        },
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, []);
  return url;
}

/** The reason a single sign-on came back refused (`/?sso_error=<code>`), in a sentence; the code is then taken off the address. */
function ssoRefusal(): string | null {
  const code = new URLSearchParams(window.location.search).get('sso_error');
  if (!code) return null;
  window.history.replaceState(null, '', window.location.pathname);
  return (
    (SSO_ERROR_MESSAGES as Record<string, string>)[code as SsoErrorCode] ??
    'Single sign-on did not succeed. Please try again.'
  );
}

type Mode = 'password' | 'key' | 'forgot';
const MODE = 'waymark.sign-in';

/** The way this browser signed in last (people who use a key keep seeing the key field). */
function lastMode(): Mode {
  try {
    return localStorage.getItem(MODE) === 'key' ? 'key' : 'password';
  } catch {
    return 'password';
  }
}
function keepMode(m: Mode): void {
  try {
    localStorage.setItem(MODE, m);
  } catch {
    /* private mode: not remembered */
  }
}

interface Chosen {
  readonly user: SessionInfo;
  readonly me: MeView;
}

export function SignIn(props: {
  sandbox: string;
  notice?: string | undefined;
  onSignedIn(user: SessionInfo, sandbox: string): void;
}) {
  const [mode, setMode] = useState<Mode>(lastMode);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(ssoRefusal);
  const ssoLogin = useSsoLogin();
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [choosing, setChoosing] = useState<Chosen | null>(null);

  function switchTo(m: Mode) {
    setMode(m);
    setError(null);
    setSent(null);
    if (m !== 'forgot') keepMode(m);
  }

  async function signIn(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const credentials: Credentials =
      mode === 'key' ? { key: key.trim() } : { email: email.trim(), password };
    try {
      const user = await openSession(credentials);
      setKey('');
      setPassword('');
      const me = await meIn(user, props.sandbox).catch(async (err: unknown) => {
        // Signed in, but into nothing: end the session at once rather than leave it open.
        await new Api({ sandbox: 'prod', csrfToken: user.csrfToken })
          .close()
          .catch(() => undefined);
        throw err;
      });
      // One sandbox: straight in. Several: the person picks (the last one used is offered first).
      if (me.sandboxes.length <= 1) props.onSignedIn(user, me.sandbox);
      else setChoosing({ user, me });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function forgot(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await requestPasswordReset(email.trim());
      // The same answer whether the account exists or not: nobody learns who has one.
      setSent(
        `If an account exists for ${email.trim()}, we sent a link to set a new password. It works once, for a limited time.`,
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (choosing)
    return (
      <ChooseSandbox
        {...choosing}
        preferred={props.sandbox}
        onChosen={(s) => props.onSignedIn(choosing.user, s)}
      />
    );

  return (
    <main className="sign-in">
      <form
        onSubmit={mode === 'forgot' ? forgot : signIn}
        aria-label={mode === 'forgot' ? 'Reset your password' : 'Sign in'}
      >
        <h1>
          <span className="logo">◆</span> Waymark
        </h1>
        {mode === 'forgot' ? (
          <p className="muted">
            Type the email you sign in with: we send a link to set a new password.
          </p>
        ) : (
          <p className="muted">Journey orchestration for your team. Sign in to continue.</p>
        )}
        {props.notice && !error && !sent && (
          <p className="notice" role="status">
            {props.notice}
          </p>
        )}
        {mode === 'key' ? (
          <>
            <label>
              API key
              <input
                name="key"
                type="password"
                autoFocus
                required
                value={key}
                onChange={(e) => setKey(e.target.value)}
                autoComplete="off"
              />
            </label>
            <p className="muted small">
              For automation and operators: <code>waymark serve</code> prints the admin key and
              saves it in <code>admin.key</code>. The console keeps a session, never the key.
            </p>
          </>
        ) : (
          <>
            <label>
              Email
              <input
                name="email"
                type="email"
                autoFocus
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                autoComplete="username"
              />
            </label>
            {mode === 'password' && (
              <label>
                Password
                <input
                  name="password"
                  type="password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  autoComplete="current-password"
                />
              </label>
            )}
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {sent && (
          <p className="notice ok-notice" role="status">
            {sent}
          </p>
        )}
        {mode === 'forgot' ? (
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send the link'}
          </button>
        ) : (
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        )}
        {ssoLogin && mode !== 'forgot' && (
          <a className="button sso-button" href={ssoLogin}>
            Sign in with your organisation (SSO)
          </a>
        )}
        <div className="sign-in-links">
          {mode === 'password' && (
            <button type="button" className="link" onClick={() => switchTo('forgot')}>
              Forgot password?
            </button>
          )}
          {mode === 'password' && (
            <button type="button" className="link" onClick={() => switchTo('key')}>
              Use an API key instead
            </button>
          )}
          {mode === 'key' && (
            <button type="button" className="link" onClick={() => switchTo('password')}>
              Use email and password instead
            </button>
          )}
          {mode === 'forgot' && (
            <button type="button" className="link" onClick={() => switchTo('password')}>
              Back to sign-in
            </button>
          )}
        </div>
      </form>
    </main>
  );
}

/** After signing in: the sandboxes this person may enter, each with its title and type. */
function ChooseSandbox(p: Chosen & { preferred: string; onChosen(sandbox: string): void }) {
  const names = p.me.sandboxes.map((s) => s.name);
  const [chosen, setChosen] = useState(names.includes(p.preferred) ? p.preferred : p.me.sandbox);
  return (
    <main className="sign-in">
      <form
        aria-label="Choose a sandbox"
        onSubmit={(e) => {
          e.preventDefault();
          p.onChosen(chosen);
        }}
      >
        <h1>
          <span className="logo">◆</span> Waymark
        </h1>
        <p>
          Signed in as <strong>{p.me.actor.name}</strong>. Choose a sandbox to work in; you can
          switch at any time from the top bar.
        </p>
        <fieldset className="sandbox-choice">
          <legend className="small muted">Sandbox</legend>
          {p.me.sandboxes.map((s) => (
            <label key={s.name} className={s.name === chosen ? 'on' : ''}>
              <input
                type="radio"
                name="sandbox"
                value={s.name}
                checked={s.name === chosen}
                onChange={() => setChosen(s.name)}
              />
              <span className="sandbox-name">
                <strong>{s.title || s.name}</strong>
                {s.title && s.title !== s.name && <span className="muted small"> {s.name}</span>}
              </span>
              <SandboxBadge type={s.type} />
            </label>
          ))}
        </fieldset>
        <button className="primary" type="submit" autoFocus>
          Continue
        </button>
      </form>
    </main>
  );
}
