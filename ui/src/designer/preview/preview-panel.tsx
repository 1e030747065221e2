// "Simulate content": the email as a chosen profile would receive it, with sample journey data.
// Rendered by the server (POST /v1/render: exactly what a send renders), shown like an inbox:
// subject and preheader above a sandboxed frame at the document's width or a phone's 375 px; which
// conditional variant each block chose, the locale used, and failures explained for a marketer.
import { useMemo, useRef } from 'react';
import type { EmailDocument } from '@waymark/shared/model/message-content.ts';
import { useDesigner } from '../contracts.ts';
import { blockName } from '../canvas-block.tsx';
import { locate } from '../doc-ops.ts';
import { useFitZoom } from '../fit-zoom.ts';
import { buildRenderRequest, explainFailure } from './render-request.ts';
import { ProfileChooser } from './profile-chooser.tsx';
import { SampleData } from './sample-data.tsx';
import { hostKey, parsedSamples, previewProfileOf, useSimulation } from './simulation.ts';
import { useRender, type RenderAnswer, type RenderState } from './use-render.ts';
import './preview.css';

export const MOBILE_WIDTH = 375;
const px = (w: string | undefined): number => {
  const m = /^(\d+(?:\.\d+)?)px$/.exec(w ?? '');
  return m ? Math.round(Number(m[1])) : 600;
};

/** The channel configuration of the activity: its render limits apply as at send time. */
export function configurationOf(host: ReturnType<typeof useDesigner>['host']): string | undefined {
  if (host.kind === 'campaign') return host.configuration || undefined;
  if (host.kind !== 'journey-activity') return undefined;
  const n = host.definition.nodes.find((x) => x.id === host.nodeId) as
    { configuration?: unknown } | undefined;
  return typeof n?.configuration === 'string' && n.configuration !== ''
    ? n.configuration
    : undefined;
}

/** The render request the preview and the proofs send (the same context for both). */
export function useRenderBody() {
  const d = useDesigner();
  const [sim, set] = useSimulation(hostKey(d.host));
  const samples = parsedSamples(sim);
  const body = useMemo(
    () =>
      buildRenderRequest({
        content: d.content,
        profile: previewProfileOf(sim),
        audiences: sim.audiences,
        events: samples.events,
        actions: samples.actions,
        configuration: configurationOf(d.host),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [d.content, sim.profile?.id, sim.audiences, sim.events, sim.actions, d.host],
  );
  return { body, sim, set, problems: samples.problems };
}

/** The frame's height before zoom, so that the zoomed frame keeps the height it would have had. */
function frameHeight(height: number | undefined, zoom: number): string | number {
  if (height !== undefined) return Math.round(height / zoom);
  return zoom < 1
    ? `max(${Math.round(480 / zoom)}px, calc((100vh - 230px) / ${zoom}))`
    : 'max(480px, calc(100vh - 230px))';
}

/** Subject, preheader and the message in a frame that runs nothing (sandbox=""). */
export function RenderedEmail(p: {
  r: RenderState;
  width: number;
  title: string;
  height?: number;
}) {
  const a = p.r.answer;
  const failure = p.r.error
    ? explainFailure(
        p.r.error.code === 'invalid_content' ? 'invalid_content' : 'render_error',
        p.r.error.message,
      )
    : a && !a.ok
      ? explainFailure(a.reason, a.message, a.limit)
      : null;
  const box = useRef<HTMLDivElement>(null);
  const zoom = useFitZoom(box, `${p.width}px`, 4);
  return (
    <div ref={box} className="dz-mail-fit">
      {zoom < 1 && (
        <p className="dz-zoom-note small muted" role="status">
          Shown at {Math.round(zoom * 100)} % to fit: the email is {p.width}px wide.
        </p>
      )}
      <div
        className={`dz-mail${p.r.pending ? ' dz-pending' : ''}`}
        style={{ width: p.width, ...(zoom < 1 ? { zoom } : {}) }}
        aria-busy={p.r.pending}
      >
        {failure ? (
          <div className="dz-failure" role="alert">
            <strong>{failure.title}</strong>
            <p>{failure.text}</p>
          </div>
        ) : a && a.ok ? (
          <>
            <div className="dz-inbox-line" aria-label={`${p.title}: inbox line`}>
              <div className="dz-subject">
                <span className="muted small">Subject</span>{' '}
                <strong data-testid="preview-subject">{a.subject}</strong>
              </div>
              {a.preheader ? (
                <div className="dz-preheader muted">
                  <span className="small">Preheader</span> {a.preheader}
                </div>
              ) : null}
            </div>
            <iframe
              title={p.title}
              sandbox=""
              srcDoc={a.html}
              style={{ width: p.width, height: frameHeight(p.height, zoom) }}
            />
          </>
        ) : (
          <p className="muted">{p.r.pending ? 'Rendering…' : 'Nothing rendered yet.'}</p>
        )}
      </div>
    </div>
  );
}

/** What a marketer calls the part a variant belongs to ("Image: Join Luma+"), not its id. */
function partName(doc: EmailDocument, id: string): string {
  const at = locate(doc, id);
  if (at?.kind === 'structure') return `Structure ${at.index + 1}`;
  if (at?.kind === 'block')
    return blockName(at.block, { fragmentName: (f) => f, assetName: () => undefined });
  return id;
}

function Variants(p: { a: RenderAnswer | null }) {
  const d = useDesigner();
  if (!p.a || !p.a.ok) return null;
  const chosen = Object.entries(p.a.variants ?? {});
  return (
    <div className="dz-chosen" aria-label="Chosen variants">
      {p.a.locale ? (
        <span className="badge" aria-label="Locale used">
          Locale {p.a.locale}
        </span>
      ) : null}
      {chosen.map(([block, name]) => (
        <button
          key={block}
          type="button"
          className="dz-variant"
          title="Select this block"
          onClick={() => d.select(block)}
        >
          <span className="muted small">{partName(d.doc, block)}</span> <strong>{name}</strong>
        </button>
      ))}
      {p.a.usedAudiences ? (
        <span className="small muted" aria-label="Audiences used">
          {p.a.usedAudiences.length
            ? `as a member of ${p.a.usedAudiences.join(', ')}`
            : 'as a member of no audience'}
        </span>
      ) : null}
      {p.a.warnings.length ? (
        <span className="small muted">
          {p.a.warnings.length} warning{p.a.warnings.length > 1 ? 's' : ''}:{' '}
          {p.a.warnings.join('; ')}
        </span>
      ) : null}
    </div>
  );
}

export function PreviewPanel() {
  const d = useDesigner();
  const { body, sim, set, problems } = useRenderBody();
  const r = useRender(body);
  const width = d.device === 'mobile' ? MOBILE_WIDTH : px(d.doc.width);
  const audiences = Object.entries(sim.audiences);
  return (
    <section className="dz-preview" aria-label="Simulate content">
      <aside className="dz-preview-side">
        <div className="dz-preview-who">
          <h3>Simulate content</h3>
          <ProfileChooser sim={sim} set={set} />
          {sim.profile ? (
            <div className="dz-audiences" aria-label="Audiences of the profile">
              <span className="muted small">Audiences</span>{' '}
              {audiences.length === 0 ? (
                <span className="muted small">none</span>
              ) : (
                audiences.map(([name, status]) => (
                  <span key={name} className={`badge ${status}`}>
                    {name}
                    {status === 'exited' ? ' (exited)' : ''}
                  </span>
                ))
              )}
            </div>
          ) : (
            <p className="muted small">No profile: personalization shows its default values.</p>
          )}
        </div>
        <SampleData sim={sim} set={set} />
        {problems.map((x) => (
          <p key={x} className="error small">
            {x}
          </p>
        ))}
      </aside>
      <div className="dz-preview-main">
        <div className="row between dz-preview-bar">
          <span className="muted small" aria-label="Preview width">
            {d.device === 'mobile' ? 'Mobile' : 'Desktop'}, {width} px
          </span>
          <span className="muted small dz-p50" title="Median round trip of the preview's renders">
            {r.pending ? 'rendering… ' : ''}
            {r.p50 !== null ? `p50 ${r.p50} ms` : ''}
          </span>
        </div>
        <Variants a={r.answer} />
        <RenderedEmail r={r} width={width} title="Email preview" />
      </div>
    </section>
  );
}
