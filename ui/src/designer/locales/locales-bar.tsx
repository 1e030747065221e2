// The message's languages: its language settings (chosen here when there are none), one tab per
// locale (the default first), missing translations flagged, the default and the open locale side
// by side, and "Translate…", which runs a translation project and merges the result as one undo step.
import { useState } from 'react';
import { useDesigner } from '../contracts.ts';
import { isMissing, localesOf, type SettingsLike } from './locale-model.ts';
import { SideBySide } from './side-by-side.tsx';
import { TranslateDialog } from './translate-dialog.tsx';
import './locales.css';
import { useDesignerReadOnly } from '../read-only.ts';

export interface SettingsSpec extends SettingsLike {
  readonly name?: string;
  readonly preferenceAttribute?: string;
}

export function useLanguageSettings(): SettingsSpec | undefined {
  const d = useDesigner();
  const id = d.content.languageSettings;
  if (!id) return undefined;
  const s = d.catalog.languageSettings.find(
    (x) => x.key === id || (x.spec as { id?: string }).id === id,
  );
  return s?.spec as SettingsSpec | undefined;
}

export function LocalesBar() {
  const d = useDesigner();
  const settings = useLanguageSettings();
  const [sideBySide, setSideBySide] = useState(false);
  const [translating, setTranslating] = useState(false);

  const readOnly = useDesignerReadOnly();
  if (!d.content.languageSettings) {
    if (readOnly) return null;
    return (
      <div className="dz-locales dz-locales-none" role="group" aria-label="Languages">
        <label>
          Language settings
          <select
            value=""
            onChange={(e) => {
              const v = e.target.value;
              if (v) d.update((c) => ({ ...c, languageSettings: v }), `Use language settings ${v}`);
            }}
          >
            <option value="">None (one language)</option>
            {d.catalog.languageSettings.map((s) => (
              <option key={s.key} value={s.key}>
                {s.spec.name ?? s.key}
              </option>
            ))}
          </select>
        </label>
      </div>
    );
  }
  if (!settings)
    return (
      <div className="dz-locales">
        <p className="error small">
          Language settings “{d.content.languageSettings}” do not exist.
        </p>
      </div>
    );

  const { source, others } = localesOf(settings);
  const missing = others.filter((l) => isMissing(d.content, l));
  const open = d.locale !== null && others.includes(d.locale) ? d.locale : null;
  return (
    <div className="dz-locales-wrap">
      <div className="dz-locales" role="group" aria-label="Languages">
        <span className="muted small" title="Language settings">
          {settings.name ?? d.content.languageSettings}
        </span>
        <div className="tabs" role="tablist" aria-label="Locales">
          <button
            type="button"
            role="tab"
            aria-selected={open === null}
            className={open === null ? 'on' : ''}
            onClick={() => d.setLocale(null)}
          >
            {source ?? 'Default'} (default)
          </button>
          {others.map((l) => (
            <button
              key={l}
              type="button"
              role="tab"
              aria-selected={open === l}
              className={open === l ? 'on' : ''}
              onClick={() => d.setLocale(l)}
            >
              {l}
              {isMissing(d.content, l) ? (
                <span className="badge dz-missing" aria-label={`Missing: ${l}`}>
                  Missing
                </span>
              ) : null}
            </button>
          ))}
        </div>
        {missing.length ? (
          <span className="badge dz-missing-all">Missing: {missing.join(', ')}</span>
        ) : null}
        <button type="button" aria-pressed={sideBySide} onClick={() => setSideBySide((v) => !v)}>
          Side by side
        </button>
        {!readOnly && (
          <button type="button" onClick={() => setTranslating(true)} disabled={others.length === 0}>
            Translate…
          </button>
        )}
        {!readOnly && (
          <button
            type="button"
            className="small"
            title="Remove the language settings (the locales' variants are kept)"
            onClick={() =>
              d.update((c) => {
                const { languageSettings: _, ...rest } = c;
                return rest as typeof c;
              }, 'Remove language settings')
            }
          >
            Remove language settings
          </button>
        )}
      </div>
      {sideBySide ? (
        <SideBySide source={source} locale={open ?? others[0]} settings={settings} />
      ) : null}
      {translating ? (
        <TranslateDialog
          others={others}
          missing={missing}
          sourceLocale={source}
          onClose={() => setTranslating(false)}
        />
      ) : null}
    </div>
  );
}
