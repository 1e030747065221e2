// Assets: the image, and an upload of a new file (a new version) through PUT /v1/assets/{id}/content.
import { useState } from 'react';
import { errorText } from '../api/client.ts';
import { useApi } from '../app/session.tsx';

export function AssetExtras(p: { id: string; spec: Record<string, unknown>; onUploaded(): void }) {
  const api = useApi();
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const url = typeof p.spec['url'] === 'string' ? p.spec['url'] : null;
  return (
    <section className="extras">
      <h3>Image</h3>
      {url ? (
        <img
          className="asset-image"
          src={url}
          alt={String(p.spec['alt'] ?? p.spec['name'] ?? p.id)}
        />
      ) : (
        <p className="muted">No file yet.</p>
      )}
      <label>
        Upload a new version
        <input
          type="file"
          accept="image/*"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setMsg(null);
            api
              .upload(
                `/v1/assets/${encodeURIComponent(p.id)}/content?name=${encodeURIComponent(String(p.spec['name'] ?? f.name))}`,
                f,
              )
              .then(
                () => {
                  setMsg({ ok: true, text: `Uploaded ${f.name}` });
                  p.onUploaded();
                },
                (err: unknown) => setMsg({ ok: false, text: errorText(err) }),
              );
          }}
        />
      </label>
      {msg && (
        <p className={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </p>
      )}
    </section>
  );
}
