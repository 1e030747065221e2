// Sign-in with an API key and a sandbox: the key is exchanged for a session (POST /v1/session) and
// forgotten; the browser keeps only the session's HttpOnly cookie.
import { useState } from 'react';
import { Api, errorText, openSession } from '../api/client.ts';
import type { SessionInfo } from '../api/client.ts';

export function SignIn(props: { sandbox: string; notice?: string | undefined; onSignedIn(user: SessionInfo, sandbox: string): void }) {
  const [key, setKey] = useState('');
  const [sandbox, setSandbox] = useState(props.sandbox);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const chosen = sandbox.trim() || 'prod';
    try {
      const user = await openSession(key.trim());
      setKey('');
      if (!user.sandboxes.includes('*') && !user.sandboxes.includes(chosen)) {
        // Not this sandbox: end the session at once rather than leave it open.
        await new Api({ sandbox: chosen, csrfToken: user.csrfToken }).close().catch(() => undefined);
        setError(`The API key "${user.name}" may not use sandbox "${chosen}" (it may use ${user.sandboxes.join(', ')}).`);
        return;
      }
      props.onSignedIn(user, chosen);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1><span className="logo">◆</span> Waymark</h1>
        <p className="muted">Journey orchestration. Sign in with an API key (<code>waymark serve</code> prints the admin key and saves it in <code>admin.key</code>). The console keeps a session, never the key.</p>
        {props.notice && !error && <p className="notice" role="status">{props.notice}</p>}
        <label>API key<input name="key" type="password" autoFocus required value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" /></label>
        <label>Sandbox<input name="sandbox" value={sandbox} onChange={(e) => setSandbox(e.target.value)} /></label>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
