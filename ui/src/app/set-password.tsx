// The two public pages reached from an email: accepting an invitation (/accept-invitation?token=…)
// and setting a new password (/reset-password?token=…). Both set a password under the same rule,
// shown while typing; on success the sign-in page opens with a notice.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { acceptInvitation, ApiError, completePasswordReset, errorText } from '../api/client.ts';

export const MIN_PASSWORD = 12;

/** What is wrong with a new password, or null (the server checks the same and has the last word). */
export function passwordProblem(password: string, repeated: string): string | null {
  if (password.length < MIN_PASSWORD)
    return `The password needs at least ${MIN_PASSWORD} characters (it has ${password.length}).`;
  if (password !== repeated) return 'The two passwords are not the same.';
  return null;
}

/** Why the server refused, in words: an old or used link says so rather than "not found". */
function refusal(err: unknown, purpose: 'invitation' | 'reset'): string {
  if (
    err instanceof ApiError &&
    (err.status === 404 ||
      err.status === 410 ||
      /expired|invalid|used|token/i.test(err.code) ||
      /not valid|expired|used already/i.test(err.message))
  ) {
    return purpose === 'invitation'
      ? 'This invitation link has expired or was already used. Ask the person who invited you to send a new one.'
      : 'This link has expired or was already used. Ask for a new one with "Forgot password?" on the sign-in page.';
  }
  const text = errorText(err);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function SetPassword(p: {
  purpose: 'invitation' | 'reset';
  token: string | null;
  onDone(notice: string): void;
  onCancel(): void;
}) {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const title = p.purpose === 'invitation' ? 'Welcome to Waymark' : 'Set a new password';
  const long = password.length >= MIN_PASSWORD;
  const same = repeated.length > 0 && password === repeated;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = passwordProblem(password, repeated);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (p.purpose === 'invitation') await acceptInvitation(p.token!, password);
      else await completePasswordReset(p.token!, password);
      p.onDone(
        p.purpose === 'invitation'
          ? 'Your account is ready: sign in with your email and the password you chose.'
          : 'Your password is changed: sign in with the new one.',
      );
    } catch (err) {
      setError(refusal(err, p.purpose));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label={title} noValidate>
        <h1>
          <span className="logo">◆</span> Waymark
        </h1>
        <h2>{title}</h2>
        {p.token === null ? (
          <>
            <p className="error" role="alert">
              This link is incomplete: open the link from the email again, whole.
            </p>
            <button type="button" onClick={p.onCancel}>
              Go to sign-in
            </button>
          </>
        ) : (
          <>
            <p className="muted">
              {p.purpose === 'invitation'
                ? 'You were invited to a team. Choose a password to finish your account.'
                : 'Choose a new password for your account.'}
            </p>
            <label>
              New password
              <input
                name="password"
                type="password"
                autoFocus
                autoComplete="new-password"
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setError(null);
                }}
                aria-describedby="password-rules"
              />
            </label>
            <label>
              Repeat the password
              <input
                name="repeated"
                type="password"
                autoComplete="new-password"
                value={repeated}
                onChange={(e) => {
                  setRepeated(e.target.value);
                  setError(null);
                }}
              />
            </label>
            <ul className="password-rules" id="password-rules" aria-label="Password rules">
              <li className={long ? 'met' : ''}>
                {long ? '✓' : '•'} At least {MIN_PASSWORD} characters
              </li>
              <li className={same ? 'met' : ''}>{same ? '✓' : '•'} Both fields the same</li>
              <li className="muted">
                A few unrelated words make a strong password that is easy to remember.
              </li>
            </ul>
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
            <button className="primary" type="submit" disabled={busy}>
              {busy
                ? 'Saving…'
                : p.purpose === 'invitation'
                  ? 'Set password and continue'
                  : 'Set the new password'}
            </button>
            <div className="sign-in-links">
              <button type="button" className="link" onClick={p.onCancel}>
                Back to sign-in
              </button>
            </div>
          </>
        )}
      </form>
    </main>
  );
}
