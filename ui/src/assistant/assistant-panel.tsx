// The Assistant panel, opened from the top bar: suggested questions, answers with their sources as
// links, a small bar chart for data answers, and helpful / not helpful feedback
// (POST /v1/assistant/chat and /v1/assistant/feedback). It reads with the person's permissions
// in the current sandbox and changes nothing.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { assistantInfoSchema, chatReplySchema } from '@waymark/shared/api/assistant.ts';
import { errorText } from '../api/client.ts';
import { navigate } from '../app/router.ts';
import { useApi, useSession } from '../app/session.tsx';

type Reply = Answer<typeof chatReplySchema>;
type Citation = Reply['citations'][number];
type DataSet = NonNullable<Reply['data']>[number];
type Info = Answer<typeof assistantInfoSchema>;
type Turn =
  | { readonly kind: 'question'; readonly text: string }
  | { readonly kind: 'answer'; readonly reply: Reply; feedback: 'none' | 'helpful' | 'not-helpful' }
  | { readonly kind: 'error'; readonly text: string };

/** A data answer's series as horizontal bars: readable labels in a narrow panel. */
function Bars(p: { data: DataSet }) {
  const max = Math.max(1, ...p.data.points.map((x) => x.value));
  return (
    <figure className="assistant-bars" aria-label={p.data.title} role="img">
      <figcaption className="small">{p.data.title}</figcaption>
      {p.data.points.map((x) => (
        <div key={x.label} className="bar-row" title={`${x.label}: ${x.value}`}>
          <span className="bar-label">{x.label}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(100 * x.value) / max}%` }} />
          </span>
          <span className="bar-value">{x.value.toLocaleString('en-US')}</span>
        </div>
      ))}
    </figure>
  );
}

/** The series worth drawing: the first with more than one bar, else the first. */
const chartOf = (data: readonly DataSet[] | undefined): DataSet | undefined =>
  data?.find((d) => d.points.length > 1) ?? data?.[0];

/** `**bold**` as <strong>; the rest as text. */
function inline(text: string): ReactNode[] {
  return text
    .split(/(\*\*[^*]+\*\*)/g)
    .map((part, i) =>
      part.startsWith('**') && part.endsWith('**') ? (
        <strong key={i}>{part.slice(2, -2)}</strong>
      ) : (
        <span key={i}>{part}</span>
      ),
    );
}

/** The answer's lines: "- " lines as a list, the others as paragraphs. */
function AnswerText(p: { text: string }) {
  const blocks: ReactNode[] = [];
  let items: string[] = [];
  const flush = () => {
    if (items.length > 0)
      blocks.push(
        <ul key={`l${blocks.length}`}>
          {items.map((t, i) => (
            <li key={i}>{inline(t)}</li>
          ))}
        </ul>,
      );
    items = [];
  };
  // The report's address is among the sources, as a link.
  for (const line of p.text.split('\n').filter((l) => !/^Report: \//.test(l))) {
    if (line.startsWith('- ')) items.push(line.slice(2));
    else {
      flush();
      if (line.trim() !== '') blocks.push(<p key={`p${blocks.length}`}>{inline(line)}</p>);
    }
  }
  flush();
  return <div className="assistant-text">{blocks}</div>;
}

function CitationLink(p: { c: Citation }) {
  const { href, title } = p.c;
  if (href.startsWith('/docs/'))
    return (
      <a href={href} target="_blank" rel="noopener">
        {title}
      </a>
    );
  if (href.startsWith('/'))
    return (
      <a
        href={href}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.button !== 0) return;
          e.preventDefault();
          void navigate(href);
        }}
      >
        {title}
      </a>
    );
  // A source not on the site (a module's README): named, not linked.
  return (
    <span>
      {title} <code>{href}</code>
    </span>
  );
}

export function AssistantPanel(p: { onClose: () => void }) {
  const api = useApi();
  const { sandbox } = useSession();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [info, setInfo] = useState<Info | null>(null);
  const conversation = useRef<string | null>(null);
  const list = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    setTurns([]);
    conversation.current = null;
    api
      .get<Info>('/v1/assistant')
      .then((r) => live && setInfo(r))
      .catch(() => live && setInfo({ mode: 'no-model', modelConfigured: false, suggestions: [] }));
    input.current?.focus();
    return () => {
      live = false;
    };
  }, [api, sandbox]);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [turns]);

  useEffect(() => {
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') p.onClose();
    };
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [p]);

  const ask = async (text: string) => {
    const q = text.trim();
    if (q === '' || busy) return;
    setQuestion('');
    setBusy(true);
    setTurns((t) => [...t, { kind: 'question', text: q }]);
    try {
      const reply = await api.post<Reply>('/v1/assistant/chat', {
        messages: [{ role: 'user', content: q }],
        ...(conversation.current ? { conversationId: conversation.current } : {}),
      });
      conversation.current = reply.conversationId;
      setTurns((t) => [...t, { kind: 'answer', reply, feedback: 'none' }]);
    } catch (e) {
      setTurns((t) => [...t, { kind: 'error', text: errorText(e) }]);
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const feedback = async (index: number, helpful: boolean) => {
    const turn = turns[index];
    if (turn?.kind !== 'answer') return;
    try {
      await api.post('/v1/assistant/feedback', {
        conversationId: turn.reply.conversationId,
        helpful,
      });
      setTurns((t) =>
        t.map((x, i) =>
          i === index && x.kind === 'answer'
            ? { ...x, feedback: helpful ? 'helpful' : 'not-helpful' }
            : x,
        ),
      );
    } catch (e) {
      setTurns((t) => [...t, { kind: 'error', text: errorText(e) }]);
    }
  };

  return (
    <aside className="assistant-panel" role="dialog" aria-label="Assistant">
      <header className="assistant-head">
        <h2>Assistant</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close the Assistant"
          onClick={p.onClose}
        >
          ✕
        </button>
      </header>
      <p className="small muted assistant-mode">
        {info === null
          ? 'Loading…'
          : info.mode === 'model'
            ? 'Answers from a model, with your permissions in this sandbox. It changes nothing.'
            : 'Runs without a model: answers come from your sandbox’s figures and the documentation, with your permissions. It changes nothing.'}
      </p>
      <div className="assistant-turns" ref={list} aria-live="polite">
        {turns.length === 0 && info && info.suggestions.length > 0 && (
          <div className="assistant-suggestions">
            <p className="small muted">Try one of these:</p>
            {info.suggestions.map((s) => (
              <button key={s} type="button" className="suggestion" onClick={() => void ask(s)}>
                {s}
              </button>
            ))}
          </div>
        )}
        {turns.map((t, i) =>
          t.kind === 'question' ? (
            <div key={i} className="assistant-question">
              {t.text}
            </div>
          ) : t.kind === 'error' ? (
            <div key={i} className="assistant-answer error" role="alert">
              {t.text}
            </div>
          ) : (
            <article key={i} className="assistant-answer" aria-label="Answer">
              <AnswerText text={t.reply.answer} />
              {chartOf(t.reply.data) && <Bars data={chartOf(t.reply.data)!} />}
              {t.reply.citations.length > 0 && (
                <div className="assistant-sources">
                  <span className="small muted">Sources</span>
                  <ul>
                    {t.reply.citations.map((c) => (
                      <li key={c.href}>
                        <CitationLink c={c} />
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <div className="assistant-feedback small">
                {t.feedback === 'none' ? (
                  <>
                    <span className="muted">Did this help?</span>
                    <button type="button" onClick={() => void feedback(i, true)}>
                      Helpful
                    </button>
                    <button type="button" onClick={() => void feedback(i, false)}>
                      Not helpful
                    </button>
                  </>
                ) : (
                  <span className="muted">Thanks: your feedback was recorded.</span>
                )}
              </div>
            </article>
          ),
        )}
        {busy && <p className="small muted">Thinking…</p>}
      </div>
      <form
        className="assistant-ask"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(question);
        }}
      >
        <textarea
          ref={input}
          aria-label="Ask the Assistant"
          placeholder="Ask about Waymark or your data…"
          rows={2}
          maxLength={4000}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void ask(question);
            }
          }}
        />
        <button type="submit" className="primary" disabled={busy || question.trim() === ''}>
          Ask
        </button>
      </form>
    </aside>
  );
}
