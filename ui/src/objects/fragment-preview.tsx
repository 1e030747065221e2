// Preview of an expression fragment: POST /v1/render with the bare template and a test profile.
import { useEffect, useState } from 'react';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';
import { useTestProfile } from './test-profile.tsx';

export function FragmentPreview(p: { source: string }) {
  const api = useApi();
  const { profile: prof, picker } = useTestProfile();
  const [out, setOut] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      api
        .post<{ output: string }>('/v1/render', {
          template: p.source,
          ...(prof ? { profile: prof.attributes } : {}),
        })
        .then(
          (r) => {
            if (live) setOut({ ok: true, text: r.output });
          },
          (err: unknown) => {
            if (live) setOut({ ok: false, text: errorText(err) });
          },
        );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, p.source, prof]);
  return (
    <section className="extras preview" aria-label="Fragment preview">
      <h3>Preview</h3>
      {picker}
      {out &&
        (out.ok ? (
          <iframe title="Fragment preview" sandbox="" srcDoc={out.text} />
        ) : (
          <p className="error" role="alert">
            {out.text}
          </p>
        ))}
    </section>
  );
}
