// Bulk import of profiles from a CSV file (header `namespace,id,<attribute paths>`) or JSON lines,
// sent a chunk at a time (POST /v1/profiles/import) with progress, and every refused row reported
// on its file line: the same cutting as `waymark profiles import` (@waymark/shared/audience/import-chunks.ts).
import { useState } from 'react';
import {
  addChunkReport,
  importChunks,
  type ImportReport,
} from '@waymark/shared/audience/import-chunks.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';

const CHUNK = 500;

export function ProfileImport(p: { onImported(): void }) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; of: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function run() {
    if (!file) return;
    setProblem(null);
    setReport(null);
    const format = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'csv' : 'jsonl';
    const total: ImportReport = { total: 0, imported: 0, failed: 0, errors: [] };
    try {
      const text = await file.text();
      const of = Math.max(
        0,
        text.split('\n').filter((l) => l.trim() !== '').length - (format === 'csv' ? 1 : 0),
      );
      setProgress({ done: 0, of });
      for (const chunk of importChunks(text, format, CHUNK)) {
        const answer = await api.request<ImportReport>(
          'POST',
          `/v1/profiles/import?format=${format}`,
          chunk.body,
          { 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
        );
        addChunkReport(total, chunk, answer);
        setProgress({ done: total.total, of });
        setReport({ ...total, errors: [...total.errors] });
      }
      p.onImported();
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  return (
    <section className="extras" aria-label="Import profiles">
      <h3>Import profiles</h3>
      <p className="muted small">
        CSV with a header <code>namespace,id,&lt;attribute paths&gt;</code> (e.g.{' '}
        <code>person.name.firstName</code>), or JSON lines{' '}
        <code>{'{namespace, id, attributes}'}</code>. Attributes merge into existing profiles.
      </p>
      <div className="row">
        <input
          type="file"
          accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
          aria-label="Profiles file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="button" onClick={() => void run()} disabled={!file}>
          Import
        </button>
      </div>
      {progress && (
        <progress
          aria-label="Import progress"
          value={progress.done}
          max={Math.max(1, progress.of)}
        />
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {report && (
        <div role="status" aria-label="Import result">
          <p>
            {report.total} rows: {report.imported} imported, {report.failed} refused.
          </p>
          {report.errors.length > 0 && (
            <ul aria-label="Refused rows">
              {report.errors.map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
