// What some object pages show below the definition: an event type's sample payload, a custom
// action's request and response sample and a test call, a template's or fragment's preview, an
// audience's rule, members, batch schedule or upload.
import { useState } from 'react';
import type { ActionSpec, EventTypeSpec, StoredObject } from '../api/types.ts';
import type { ObjectKind } from '../app/menu.ts';
import { actionVariables } from '../canvas/catalog.ts';
import { sampleOf } from '../test-mode/schema-form.tsx';
import { ActionTest } from './action-test.tsx';
import { AssetExtras } from './asset-extras.tsx';
import { AudienceBuilder } from './audience-builder.tsx';
import { AudienceSchedule, AudienceUpload } from './audience-runs.tsx';
import { AudienceServerSize } from './audience-size.tsx';
import { ContentPreview } from './content-preview.tsx';
import { FragmentPreview } from './fragment-preview.tsx';
import { OpenInDesigner } from '../designer/host-objects.tsx';
import { DecisionSimulation } from './decision-simulation.tsx';
import { OfferPropositions } from './offer-extras.tsx';

export function ObjectExtras(p: {
  kind: ObjectKind;
  object: StoredObject;
  draft: Record<string, unknown> | null;
  names: readonly string[];
  onDraft(spec: Record<string, unknown>): void;
  onReload(): void;
}) {
  const spec = p.object.spec;
  // An upload changes the members: the size below is loaded again.
  const [sizeVersion, setSizeVersion] = useState(0);
  switch (p.kind) {
    case 'event-types': {
      const s = spec as unknown as EventTypeSpec;
      return (
        <section className="extras">
          <h3>Sample payload</h3>
          <pre className="code">
            {JSON.stringify({ type: p.object.key, payload: sampleOf(s.schema) }, null, 2)}
          </pre>
          {s.business === true && (
            <p className="muted small">
              Business event: it belongs to no profile and runs the audience read of the journeys it
              starts.
            </p>
          )}
          {s.identity && (
            <p className="muted small">
              Identity: <code>{s.identity.path}</code> in namespace {s.identity.namespace}
            </p>
          )}
        </section>
      );
    }
    case 'actions': {
      // The request and the response are in the form above: here, a call with values to try.
      const a = spec as unknown as ActionSpec;
      return (
        <section className="extras">
          <ActionTest name={p.object.key} variables={actionVariables(a)} />
        </section>
      );
    }
    case 'content-templates': {
      const t = spec as { channel?: string; content?: Record<string, unknown> };
      return t.content ? (
        <section className="extras">
          <OpenInDesigner
            kind="content-templates"
            object={p.object}
            draft={p.draft}
            onSaved={p.onReload}
          />
          <h3>Preview</h3>
          <ContentPreview channel={t.channel ?? 'email'} content={t.content} />
        </section>
      ) : null;
    }
    case 'fragments': {
      const c = ((p.draft ?? spec) as { content?: { type?: string; source?: string } }).content;
      if (c?.type === 'visual')
        return (
          <section className="extras">
            <OpenInDesigner
              kind="fragments"
              object={p.object}
              draft={p.draft}
              onSaved={p.onReload}
            />
          </section>
        );
      return c?.type === 'expression' && typeof c.source === 'string' ? (
        <FragmentPreview source={c.source} />
      ) : null;
    }
    case 'assets':
      return <AssetExtras id={p.object.key} spec={spec} onUploaded={p.onReload} />;
    case 'audiences': {
      const uploaded = (spec as { origin?: string }).origin === 'uploaded';
      return (
        <>
          {!uploaded && (
            <AudienceBuilder spec={p.draft ?? spec} onChange={p.onDraft} audiences={p.names} />
          )}
          <AudienceServerSize
            key={`size:${p.object.key}:${sizeVersion}`}
            name={p.object.key}
            evaluable={!uploaded}
          />
          {uploaded ? (
            <AudienceUpload name={p.object.key} onUploaded={() => setSizeVersion((v) => v + 1)} />
          ) : (
            <AudienceSchedule key={`schedule:${p.object.key}`} name={p.object.key} />
          )}
        </>
      );
    }
    case 'offers':
      return (
        <>
          <OfferPropositions object={p.object} />
        </>
      );
    case 'decision-policies':
      return <DecisionSimulation policy={p.object.key} />;
    default:
      return null;
  }
}
