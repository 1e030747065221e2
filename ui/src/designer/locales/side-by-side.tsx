// The default content and one locale next to each other, each rendered by the server for a profile
// whose preferred language is that locale (with the preview's sample data), read-only.
import { useMemo } from 'react';
import { useDesigner } from '../contracts.ts';
import { RenderedEmail, configurationOf } from '../preview/preview-panel.tsx';
import { buildRenderRequest } from '../preview/render-request.ts';
import { ProfileChooser } from '../preview/profile-chooser.tsx';
import { useSamples } from '../preview/sample-data.tsx';
import { hostKey, parsedSamples, useSimulation } from '../preview/simulation.ts';
import { useRender } from '../preview/use-render.ts';
import type { SettingsSpec } from './locales-bar.tsx';
import { attributesAt } from './locale-model.ts';

function Column(p: { locale: string; settings: SettingsSpec; title: string }) {
  const d = useDesigner();
  const [sim] = useSimulation(hostKey(d.host));
  const samples = parsedSamples(sim);
  const attrs = {
    ...(sim.profile?.attributes ?? {}),
    ...attributesAt(p.settings.preferenceAttribute ?? 'preferredLanguage', p.locale),
  };
  const body = useMemo(
    () =>
      buildRenderRequest({
        content: d.content,
        profile: { attributes: attrs },
        audiences: sim.audiences,
        events: samples.events,
        actions: samples.actions,
        configuration: configurationOf(d.host),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [d.content, p.locale, sim],
  );
  const r = useRender(body);
  return (
    <div className="dz-side-col">
      <h4>{p.title}</h4>
      <RenderedEmail r={r} width={d.device === 'mobile' ? 375 : 520} title={p.title} height={320} />
    </div>
  );
}

export function SideBySide(p: {
  source: string | undefined;
  locale: string | undefined;
  settings: SettingsSpec;
}) {
  const d = useDesigner();
  const [sim, set] = useSimulation(hostKey(d.host));
  useSamples({ sim, set });
  if (!p.source || !p.locale)
    return (
      <p className="muted small">The language settings have one locale: nothing to compare.</p>
    );
  return (
    <section className="dz-side" aria-label="Side by side">
      <div className="dz-side-head">
        <ProfileChooser sim={sim} set={set} label="Personalize as" search={false} />
        <span className="muted small">
          Each side renders for this profile with its preferred language set to the locale.
        </span>
      </div>
      <Column locale={p.source} settings={p.settings} title={`${p.source} (default)`} />
      <Column locale={p.locale} settings={p.settings} title={p.locale} />
    </section>
  );
}
