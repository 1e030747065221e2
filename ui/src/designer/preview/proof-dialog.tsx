// Send proof: up to 10 addresses, the profile to personalize as, an optional subject prefix; one
// POST /v1/render/proof per address with the preview's sample data, each address's result shown.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { useRenderBody } from './preview-panel.tsx';
import { ProfileChooser } from './profile-chooser.tsx';
import { useSamples } from './sample-data.tsx';
import { parseAddresses, prefixProblem, MAX_PROOF_ADDRESSES } from './proof-rules.ts';
import './preview.css';

type Result =
  | { address: string; state: 'sending' }
  | { address: string; state: 'sent'; messageId?: string }
  | { address: string; state: 'failed'; message: string };

export function ProofDialog(p: { onClose(): void }) {
  const api = useApi();
  const ref = useRef<HTMLDialogElement>(null);
  const { body, sim, set, problems: sampleProblems } = useRenderBody();
  // Opened from the Design tab, the proof still has the journey's sample data.
  useSamples({ sim, set });
  const [to, setTo] = useState('');
  const [prefix, setPrefix] = useState('');
  const [results, setResults] = useState<Result[]>([]);
  const [busy, setBusy] = useState(false);
  const [inbox, setInbox] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  // The development inbox exists when the server has a development SMTP server.
  useEffect(() => {
    void api.get('/v1/dev/inbox?limit=1').then(
      () => setInbox(true),
      () => setInbox(false),
    );
  }, [api]);

  const parsed = parseAddresses(to);
  const prefixIssue = prefixProblem(prefix.trim());
  const canSend =
    !busy && parsed.addresses.length > 0 && parsed.problems.length === 0 && prefixIssue === null;

  async function send() {
    if (!canSend) return;
    setBusy(true);
    const pre = prefix.trim();
    const content = pre
      ? {
          ...body.content,
          subject: `${pre} ${body.content.subject}`,
          ...(body.content.locales
            ? {
                locales: Object.fromEntries(
                  Object.entries(body.content.locales).map(([k, v]) => [
                    k,
                    v.subject !== undefined ? { ...v, subject: `${pre} ${v.subject}` } : v,
                  ]),
                ),
              }
            : {}),
        }
      : body.content;
    setResults(parsed.addresses.map((address) => ({ address, state: 'sending' })));
    await Promise.all(
      parsed.addresses.map(async (address) => {
        let r: Result;
        try {
          const a = await api.post<{ sent: boolean; messageId?: string }>('/v1/render/proof', {
            ...body,
            content,
            address,
          });
          r = { address, state: 'sent', ...(a.messageId ? { messageId: a.messageId } : {}) };
        } catch (e) {
          r = { address, state: 'failed', message: errorText(e) };
        }
        setResults((rs) => rs.map((x) => (x.address === address ? r : x)));
      }),
    );
    setBusy(false);
  }
  const close = () => {
    ref.current?.close();
    p.onClose();
  };

  return (
    <dialog
      ref={ref}
      className="dialog dz-proof"
      aria-labelledby="dz-proof-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <h2 id="dz-proof-title">Send proof</h2>
        <label>
          Recipients (up to {MAX_PROOF_ADDRESSES}, separated by commas)
          <textarea
            aria-label="Proof recipients"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            placeholder="someone@example.com, other@example.com"
          />
        </label>
        {parsed.problems.map((x) => (
          <p key={x} className="error small">
            {x}
          </p>
        ))}
        <ProfileChooser sim={sim} set={set} label="Personalize as (test profile)" search={false} />
        <label>
          Subject prefix (optional)
          <input
            aria-label="Subject prefix"
            value={prefix}
            placeholder="e.g. v2"
            onChange={(e) => setPrefix(e.target.value)}
          />
        </label>
        {prefixIssue ? <p className="error small">Subject prefix: {prefixIssue}</p> : null}
        <p className="muted small">
          Uses the preview's sample data. The server marks every proof “[Proof]”: the subject
          becomes “[Proof] {prefix.trim() ? `${prefix.trim()} ` : ''}
          {body.content.subject}”.
        </p>
        {sampleProblems.map((x) => (
          <p key={x} className="error small">
            {x}
          </p>
        ))}
        {results.length ? (
          <ul className="dz-proof-results" aria-label="Proof results">
            {results.map((r) => (
              <li key={r.address} className={r.state}>
                {r.address}:{' '}
                {r.state === 'sending'
                  ? 'sending…'
                  : r.state === 'sent'
                    ? 'sent'
                    : `not sent (${r.message})`}
              </li>
            ))}
          </ul>
        ) : null}
        {inbox && results.some((r) => r.state === 'sent') ? (
          <p>
            <a href="/inbox" target="_blank" rel="noopener noreferrer">
              Open the development inbox
            </a>
          </p>
        ) : null}
        <div className="row dialog-actions">
          <button type="submit" className="primary" disabled={!canSend}>
            {busy ? 'Sending…' : 'Send proofs'}
          </button>
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
