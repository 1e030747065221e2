// Live preview of message content: POST /v1/render with a test profile; emails in a sandboxed iframe.
import { useEffect, useState } from 'react';
import { ApiError, errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useTestProfile } from './test-profile.tsx';

interface Rendered {
  subject?: string;
  html?: string;
  text?: string;
  title?: string;
  body?: string;
}

function pick(v: unknown): Rendered {
  const r = (typeof v === 'object' && v ? v : {}) as Record<string, unknown>;
  const inner = (
    typeof r['message'] === 'object' && r['message']
      ? r['message']
      : typeof r['output'] === 'object' && r['output']
        ? r['output']
        : r
  ) as Record<string, unknown>;
  const s = (k: string) => (typeof inner[k] === 'string' ? (inner[k] as string) : undefined);
  return {
    subject: s('subject'),
    html: s('html') ?? s('body'),
    text: s('text'),
    title: s('title'),
    body: s('body'),
  } as Rendered;
}

export function ContentPreview(p: {
  channel: string;
  content: Record<string, unknown>;
  /** Starts with the first test profile chosen (else no profile). */
  pickFirstProfile?: boolean;
  /** A call's context, {{context.…}} in the content (an API-triggered campaign's sample context). */
  context?: Readonly<Record<string, unknown>> | undefined;
}) {
  const api = useApi();
  const { profile: prof, picker } = useTestProfile(p.pickFirstProfile);
  const [out, setOut] = useState<Rendered | null>(null);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      api
        .post('/v1/render', {
          content: { channel: p.channel, ...p.content },
          ...(prof ? { profile: prof.attributes } : {}),
          ...(p.context ? { context: p.context } : {}),
        })
        .then((r) => {
          if (live) {
            setOut(pick(r));
            setNote(null);
          }
        })
        .catch((err: unknown) => {
          if (!live) return;
          if (err instanceof ApiError && err.status === 404) {
            setOut(pick(p.content));
            setNote(
              'Rendering API (/v1/render) not available: showing the content without personalization.',
            );
          } else {
            setOut(null);
            setNote(errorText(err));
          }
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, p.channel, p.content, prof, p.context]);

  return (
    <div className="preview" aria-label="Preview">
      {picker}
      {note && (
        <p className="muted small" role="status">
          {note}
        </p>
      )}
      {out &&
        (p.channel === 'email' ? (
          <>
            <div className="preview-subject">{out.subject}</div>
            <iframe title="Email preview" sandbox="" srcDoc={out.html ?? ''} />
          </>
        ) : (
          <div className="phone">
            <strong>{out.title}</strong>
            <p>{out.body ?? out.text}</p>
          </div>
        ))}
    </div>
  );
}
