// The document as code: MJML (editable: "Apply" converts it back into the document as one undo
// step) or the HTML that is sent (read-only). "Import HTML…" turns pasted or uploaded HTML into a
// document; what the designer cannot represent stays as HTML components, listed in the notes. The
// code is shown and sent back exactly as the server wrote it: no formatting on the way.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/client.ts';
import { useApi } from '../../app/session.tsx';
import { useDialogs } from '../../app/dialog.tsx';
import { CodeEditor } from '../../expr/code-editor.tsx';
import type { EmailDocument } from '@waymark/shared/model/message-content.ts';
import { useDesigner } from '../contracts.ts';
import { useDesignerReadOnly } from '../read-only.ts';
import { countBlocks, withDocument, type CodeFormat } from './code-model.ts';
import './code.css';

export function CodeView() {
  const d = useDesigner();
  const readOnly = useDesignerReadOnly();
  const api = useApi();
  const dialogs = useDialogs();
  const [format, setFormat] = useState<CodeFormat>('mjml');
  const [code, setCode] = useState<string | null>(null);
  const [edited, setEdited] = useState<string | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [importing, setImporting] = useState(false);
  const docKey = JSON.stringify(d.doc);

  useEffect(() => {
    let live = true;
    setError(null);
    api
      .post<{ code: string }>('/v1/content/to-code', {
        document: JSON.parse(docKey) as unknown,
        format,
      })
      .then(
        (r) => {
          if (live) {
            setCode(r.code);
            setEdited(null);
          }
        },
        (e: unknown) => {
          if (live) setError(errorText(e));
        },
      );
    return () => {
      live = false;
    };
  }, [api, docKey, format]);

  async function convert(source: string, from: CodeFormat, label: string): Promise<boolean> {
    const ok = await dialogs.confirm({
      title: 'Replace the document?',
      body: (
        <p>
          The {d.locale ? `${d.locale} ` : ''}document ({countBlocks(d.doc)} blocks) is replaced by
          what the code describes. Undo brings it back.
        </p>
      ),
      confirmLabel: 'Replace the document',
    });
    if (!ok) return false;
    setBusy(true);
    try {
      const r = await api.post<{ document: EmailDocument; notes?: string[] }>(
        '/v1/content/from-code',
        { code: source, format: from },
      );
      d.update((c) => withDocument(c, d.locale, r.document), label);
      setNotes(r.notes ?? []);
      setError(null);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const shown = edited ?? code ?? '';
  return (
    <section className="dz-code" aria-label="Code">
      <div className="row between">
        <div className="tabs" role="tablist" aria-label="Code format">
          <button
            type="button"
            role="tab"
            aria-selected={format === 'mjml'}
            className={format === 'mjml' ? 'on' : ''}
            onClick={() => setFormat('mjml')}
          >
            MJML
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={format === 'html'}
            className={format === 'html' ? 'on' : ''}
            onClick={() => setFormat('html')}
          >
            HTML
          </button>
        </div>
        <div className="row">
          {format === 'mjml' && !readOnly ? (
            <button
              type="button"
              className="primary"
              disabled={busy || edited === null || edited === code}
              onClick={() => void convert(shown, 'mjml', 'Apply MJML code')}
            >
              Apply
            </button>
          ) : null}
          {format === 'mjml' && edited !== null && edited !== code ? (
            <button type="button" onClick={() => setEdited(null)}>
              Discard code changes
            </button>
          ) : null}
          {!readOnly && (
            <button type="button" onClick={() => setImporting(true)}>
              Import HTML…
            </button>
          )}
        </div>
      </div>
      <p className="muted small">
        {readOnly
          ? 'The document as MJML, read-only.'
          : format === 'mjml'
            ? 'The document as MJML: edit it and Apply to change the design.'
            : 'The HTML that is sent (before personalization), read-only.'}
      </p>
      {error ? <p className="error">{error}</p> : null}
      {notes.length ? (
        <ul className="dz-code-notes" aria-label="Conversion notes">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {code === null && !error ? (
        <p className="muted">Loading…</p>
      ) : (
        <CodeEditor
          key={format}
          language="html"
          label={format === 'mjml' ? 'MJML code' : 'HTML code'}
          value={shown}
          readOnly={readOnly || format === 'html'}
          minHeight={420}
          onChange={(v) => {
            if (format === 'mjml') setEdited(v);
          }}
        />
      )}
      {importing ? (
        <ImportHtml
          onClose={() => setImporting(false)}
          onImport={(html) => convert(html, 'html', 'Import HTML')}
        />
      ) : null}
    </section>
  );
}

function ImportHtml(p: { onClose(): void; onImport(html: string): Promise<boolean> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [html, setHtml] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
  }, []);
  const close = () => {
    ref.current?.close();
    p.onClose();
  };
  async function file(f: File | undefined) {
    if (!f) return;
    if (f.size > 2_000_000) {
      setProblem('The file is over 2 MB: not an email.');
      return;
    }
    setHtml(await f.text());
    setProblem(null);
  }
  return (
    <dialog
      ref={ref}
      className="dialog dz-import"
      aria-labelledby="dz-import-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          ref.current?.close();
          void p.onImport(html).then(() => p.onClose());
        }}
      >
        <h2 id="dz-import-title">Import HTML</h2>
        <p className="muted small">
          Paste an email's HTML or choose a file. What the designer cannot represent becomes HTML
          components.
        </p>
        <textarea
          aria-label="HTML to import"
          value={html}
          onChange={(e) => setHtml(e.target.value)}
          rows={12}
        />
        <label>
          Or a file{' '}
          <input
            type="file"
            accept=".html,.htm,text/html"
            aria-label="HTML file"
            onChange={(e) => void file(e.target.files?.[0])}
          />
        </label>
        {problem ? <p className="error small">{problem}</p> : null}
        <div className="row dialog-actions">
          <button type="submit" className="primary" disabled={html.trim() === ''}>
            Import
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
