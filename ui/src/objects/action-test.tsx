// A custom action's "Test call": one input per variable parameter, POST /v1/actions/{name}/test,
// and the answer (the endpoint's status and body, or the error with its response).
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { actionTestAnswer } from '@waymark/shared/api/actions.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';

/** The call's outcome: the endpoint's status and body, or the error with its response. */
export type TestAnswer = Answer<typeof actionTestAnswer>;

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
}

const NUMERIC = new Set(['number', 'integer', 'decimal', 'double', 'long', 'int', 'float']);

/** A typed value from what was typed: numbers and booleans as such, lists as JSON, the rest as text. */
export function valueOf(type: string, text: string): unknown {
  if (NUMERIC.has(type) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (type.startsWith('list')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

export function ActionTest(p: { name: string; variables: readonly Variable[] }) {
  const api = useApi();
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<TestAnswer | string | null>(null);

  async function call() {
    setBusy(true);
    setAnswer(null);
    const parameters: Record<string, unknown> = {};
    for (const v of p.variables) {
      const text = values[v.name] ?? '';
      if (text === '' && v.optional) continue;
      parameters[v.name] = valueOf(v.type, text);
    }
    try {
      setAnswer(
        await api.post<TestAnswer>(`/v1/actions/${encodeURIComponent(p.name)}/test`, {
          parameters,
        }),
      );
    } catch (err) {
      setAnswer(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="action-test"
      aria-label="Test call"
      onSubmit={(e) => {
        e.preventDefault();
        void call();
      }}
    >
      <h3>Test call</h3>
      {p.variables.map((v) => (
        <label key={v.name}>
          {v.name}{' '}
          <span className="muted small">
            ({v.type}
            {v.optional ? ', optional' : ''})
          </span>
          <input
            aria-label={`Parameter ${v.name}`}
            value={values[v.name] ?? ''}
            inputMode={NUMERIC.has(v.type) ? 'decimal' : 'text'}
            onChange={(e) => setValues({ ...values, [v.name]: e.target.value })}
          />
        </label>
      ))}
      {p.variables.length === 0 && (
        <p className="muted small">This action has no variable parameters.</p>
      )}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Calling…' : 'Call the action'}
        </button>
      </div>
      {typeof answer === 'string' && (
        <p className="error" role="alert">
          {answer}
        </p>
      )}
      {answer && typeof answer === 'object' && (
        <div role="status" aria-label="Test call answer" className={answer.ok ? 'ok' : 'error'}>
          {answer.ok ? (
            <>
              <p>HTTP {answer.status}</p>
              <pre className="code">{JSON.stringify(answer.body, null, 2)}</pre>
            </>
          ) : (
            <>
              <p>
                Failed ({answer.code}): {answer.message}
              </p>
              {answer.errorResponse !== undefined && (
                <pre className="code">{JSON.stringify(answer.errorResponse, null, 2)}</pre>
              )}
            </>
          )}
        </div>
      )}
    </form>
  );
}
