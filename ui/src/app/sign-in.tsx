// Sign-in with an API key and a sandbox; the key is checked against the API before it is kept.
import { useState } from 'react';
import { Api, errorText } from '../api/client.ts';
import type { Credentials } from '../api/client.ts';

export function SignIn(props: { onSignedIn(c: Credentials): void }) {
  const [key, setKey] = useState('');
  const [sandbox, setSandbox] = useState('prod');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const creds = { key: key.trim(), sandbox: sandbox.trim() || 'prod' };
    try {
      await new Api(creds).get('/v1/journeys');
      props.onSignedIn(creds);
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
        <p className="muted">Journey orchestration. Sign in with an API key (<code>waymark serve</code> prints the admin key and saves it in <code>admin.key</code>).</p>
        <label>API key<input name="key" type="password" autoFocus required value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" /></label>
        <label>Sandbox<input name="sandbox" value={sandbox} onChange={(e) => setSandbox(e.target.value)} /></label>
        {error && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
