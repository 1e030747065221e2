// The document's own settings, shown when nothing is selected: width, background, title, and the
// theme (fonts, colours, the text editor's palette) applied everywhere unless a block overrides it.
import { useState } from 'react';
import type { EmailDocument, EmailTheme } from '@waymark/shared/model/message-content.ts';
import { useDesigner } from '../contracts.ts';
import { withDoc } from './doc-edit.ts';
import { COLOR_RE, ColorField, CssField, Section, TextField } from './fields.tsx';

type ThemeColour =
  | 'textColor'
  | 'headingColor'
  | 'linkColor'
  | 'buttonColor'
  | 'buttonTextColor'
  | 'contentBackground';
const COLOURS: ReadonlyArray<readonly [ThemeColour, string]> = [
  ['textColor', 'Text colour'],
  ['headingColor', 'Heading colour'],
  ['linkColor', 'Link colour'],
  ['buttonColor', 'Button colour'],
  ['buttonTextColor', 'Button text colour'],
  ['contentBackground', 'Content background'],
];

function without<T extends object>(o: T, patch: Partial<T>): T {
  const next = { ...o, ...patch } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as T;
}

export function ThemePanel() {
  const d = useDesigner();
  const doc = d.doc;
  const theme: EmailTheme = doc.theme ?? { palette: [] };
  const [newColour, setNewColour] = useState('');
  const locked = d.locksApply && d.governance?.mode === 'read-only';
  const setDoc = (patch: Partial<EmailDocument>, label: string) =>
    d.update((c) => withDoc(c, d.locale, (x) => without(x, patch)), label);
  const setTheme = (patch: Partial<EmailTheme>, label: string) =>
    setDoc({ theme: without(theme, patch) }, label);
  const palette = theme.palette;
  const colourOk = COLOR_RE.test(newColour.trim());
  return (
    <div className="wm-theme">
      {locked && (
        <p className="wm-lock" role="note">
          The content template is read-only: its settings cannot change here.
        </p>
      )}
      <Section title="Email">
        <TextField
          label="Title"
          value={doc.title}
          readOnly={locked}
          hint="The HTML document's title (some clients show it)."
          onChange={(v) => setDoc({ title: v }, 'Email title')}
        />
        <CssField
          label="Email width"
          value={doc.width}
          placeholder="600px"
          readOnly={locked}
          onChange={(v) => setDoc({ width: v ?? '600px' }, 'Email width')}
        />
        <ColorField
          label="Email background"
          value={doc.backgroundColor}
          palette={palette}
          readOnly={locked}
          onChange={(v) => setDoc({ backgroundColor: v }, 'Email background')}
        />
        <CssField
          label="Email font"
          value={doc.fontFamily}
          placeholder="Helvetica, Arial, sans-serif"
          readOnly={locked}
          onChange={(v) => setDoc({ fontFamily: v }, 'Email font')}
        />
      </Section>
      <Section title="Theme">
        <CssField
          label="Theme font"
          value={theme.fontFamily}
          placeholder="Helvetica, Arial, sans-serif"
          readOnly={locked}
          onChange={(v) => setTheme({ fontFamily: v }, 'Theme font')}
        />
        <CssField
          label="Text size"
          value={theme.fontSize}
          placeholder="14px"
          readOnly={locked}
          onChange={(v) => setTheme({ fontSize: v }, 'Text size')}
        />
        <CssField
          label="Line height"
          value={theme.lineHeight}
          placeholder="1.5"
          readOnly={locked}
          onChange={(v) => setTheme({ lineHeight: v }, 'Line height')}
        />
        {COLOURS.map(([k, label]) => (
          <ColorField
            key={k}
            label={label}
            value={theme[k]}
            palette={palette}
            readOnly={locked}
            onChange={(v) => setTheme({ [k]: v }, label)}
          />
        ))}
      </Section>
      <Section title="Palette">
        <p className="wm-hint">The colours the text editor offers.</p>
        <ul className="wm-palette">
          {palette.map((c, i) => (
            <li key={`${c}-${i}`} className="row">
              <span className="wm-swatch" style={{ background: c }} aria-hidden="true" />{' '}
              <code>{c}</code>
              <button
                type="button"
                aria-label={`Remove colour ${c}`}
                disabled={locked}
                onClick={() =>
                  setTheme({ palette: palette.filter((_, j) => j !== i) }, 'Remove palette colour')
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!colourOk || palette.length >= 16) return;
            setTheme({ palette: [...palette, newColour.trim()] }, 'Add palette colour');
            setNewColour('');
          }}
        >
          <label>
            New colour
            <input
              value={newColour}
              placeholder="#rrggbb"
              disabled={locked}
              onChange={(e) => setNewColour(e.target.value)}
              aria-invalid={newColour !== '' && !colourOk ? true : undefined}
            />
          </label>
          <button type="submit" disabled={locked || !colourOk || palette.length >= 16}>
            Add colour
          </button>
        </form>
      </Section>
    </div>
  );
}
