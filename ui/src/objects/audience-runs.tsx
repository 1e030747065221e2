// An audience's batch schedule (PUT /v1/audiences/{name}/schedule, shown from GET /v1/audience-jobs)
// and, for an uploaded audience, the upload of its members from a CSV file (replace or append, with
// the file line of every row the server refused).
import { useState } from 'react';
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { audienceJobsAnswer, audienceUploadAnswer } from '@waymark/shared/api/audiences.ts';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';

type UploadResult = Answer<typeof audienceUploadAnswer>;
type Job = Answer<typeof audienceJobsAnswer>['items'][number];
type BatchJob = Extract<Job, { kind: 'batch' }>;

export function AudienceSchedule(p: { name: string }) {
  const api = useApi();
  const jobs = useLoad(
    () => api.get<Answer<typeof audienceJobsAnswer>>('/v1/audience-jobs'),
    [api],
  );
  const job = jobs.data?.items.find(
    (j): j is BatchJob => j.kind === 'batch' && j.id === `batch:${p.name}`,
  );
  const [minutes, setMinutes] = useState('60');
  const [problem, setProblem] = useState<string | null>(null);

  async function save(everySeconds: number | null) {
    setProblem(null);
    try {
      await api.put(`/v1/audiences/${encodeURIComponent(p.name)}/schedule`, { everySeconds });
      jobs.reload();
    } catch (err) {
      setProblem(errorText(err));
    }
  }

  return (
    <section className="extras" aria-label="Batch schedule">
      <h3>Batch schedule</h3>
      {(jobs.error ?? problem) && (
        <p className="error" role="alert">
          {problem ?? jobs.error}
        </p>
      )}
      <p role="status" aria-label="Schedule">
        {job?.everyMs ? (
          <>
            Evaluated every {job.everyMs / 60_000} min; next run{' '}
            {new Date(job.nextRunAt).toLocaleString()}.
            {job.lastRun && (
              <>
                {' '}
                Last run: {job.lastRun.size} members ({job.lastRun.realized} new,{' '}
                {job.lastRun.exited} exited).
              </>
            )}
          </>
        ) : (
          'Not scheduled: streaming audiences change with each event; batch audiences change when evaluated.'
        )}
      </p>
      <div className="row">
        <label>
          Every (minutes){' '}
          <input
            type="number"
            min={1}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            aria-label="Every (minutes)"
          />
        </label>
        <button type="button" onClick={() => void save(Math.round(Number(minutes) * 60))}>
          Schedule
        </button>
        {job?.everyMs && (
          <button type="button" onClick={() => void save(null)}>
            Remove schedule
          </button>
        )}
      </div>
    </section>
  );
}

export function AudienceUpload(p: { name: string; onUploaded(): void }) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'append' | 'replace'>('append');
  const [result, setResult] = useState<UploadResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload() {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      const csv = await file.text();
      const r = await api.request<UploadResult>(
        'POST',
        `/v1/audiences/${encodeURIComponent(p.name)}/upload?mode=${mode}`,
        csv,
        { 'content-type': 'text/csv' },
      );
      setResult(r);
      p.onUploaded();
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="extras" aria-label="Upload members">
      <h3>Upload members (CSV)</h3>
      <p className="muted small">
        A header row with an <code>id</code> column (and a <code>namespace</code> column, or the
        audience's namespace).
      </p>
      <div className="row">
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <label>
          Mode{' '}
          <select
            aria-label="Upload mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'append' | 'replace')}
          >
            <option value="append">append to the members</option>
            <option value="replace">replace the members</option>
          </select>
        </label>
        <button type="button" onClick={() => void upload()} disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <div role="status" aria-label="Upload result">
          <p>
            {result.rows} rows: {result.realized} joined, {result.exited} left,{' '}
            {result.createdProfiles} profiles created.
          </p>
          {result.errors.length > 0 && (
            <ul aria-label="Refused rows">
              {result.errors.map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
