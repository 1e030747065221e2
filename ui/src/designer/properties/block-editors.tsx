// One editor per block kind, every field of the model, and the style every block shares (padding,
// background, border, hide on). `lock` decides what may change: 'editable-content-only' leaves
// only the text (a text's content, a button's label, an HTML block's source) editable.
import { useEffect, useState } from 'react';
import type { Component, LeafBlock } from '@waymark/shared/model/message-content.ts';
import { socialNetworks } from '@waymark/shared/model/message-content.ts';
import { useApi } from '../../app/session.tsx';
import { CodeEditor } from '../../expr/code-editor.tsx';
import { isDesignerDrag, readDrag, useDesigner } from '../contracts.ts';
import type { Lock } from './doc-edit.ts';
import {
  ALIGN_OPTIONS,
  CheckField,
  ColorField,
  CssField,
  Section,
  SelectField,
  TextField,
} from './fields.tsx';
import { RichTextEditor } from './rich-text.tsx';
import {
  FALLBACK_RENDITIONS,
  describeRendition,
  pickedOption,
  renditionFor,
  renditionOptions,
} from './renditions.ts';
import type { RenditionOption } from './renditions.ts';

/** Block fields, as a patch: undefined removes the field. */
export type Patch = Record<string, unknown>;

export interface EditorProps<B> {
  readonly block: B;
  /** A patch, or one computed from the node as it is when applied (two quick edits must not undo each other). */
  set(patch: Patch | ((current: Readonly<Record<string, unknown>>) => Patch), label: string): void;
  readonly lock: Lock;
  readonly palette: readonly string[];
}

type Of<K extends Component['kind']> = Extract<Component, { kind: K }>;

const ro = (lock: Lock): boolean => lock !== 'editable';
const contentRo = (lock: Lock): boolean => lock === 'locked';

export function TextEditor({ block, set, lock, palette }: EditorProps<Of<'text'>>) {
  return (
    <>
      <Section title="Text">
        <RichTextEditor
          label="Text"
          value={block.content}
          readOnly={contentRo(lock)}
          palette={[...palette]}
          onChange={(v) => set({ content: v }, 'Edit text')}
        />
      </Section>
      <Section title="Text style">
        <SelectField
          label="Align"
          value={block.align}
          options={ALIGN_OPTIONS}
          readOnly={ro(lock)}
          onChange={(v) => set({ align: v }, 'Align text')}
        />
        <ColorField
          label="Text colour"
          value={block.color}
          palette={palette}
          readOnly={ro(lock)}
          onChange={(v) => set({ color: v }, 'Text colour')}
        />
        <CssField
          label="Font size"
          value={block.fontSize}
          placeholder="14px"
          readOnly={ro(lock)}
          onChange={(v) => set({ fontSize: v }, 'Font size')}
        />
        <CssField
          label="Line height"
          value={block.lineHeight}
          placeholder="1.5"
          readOnly={ro(lock)}
          onChange={(v) => set({ lineHeight: v }, 'Line height')}
        />
        <CssField
          label="Font family"
          value={block.fontFamily}
          placeholder="Theme font"
          readOnly={ro(lock)}
          onChange={(v) => set({ fontFamily: v }, 'Font family')}
        />
      </Section>
    </>
  );
}

/** A link with "Track clicks" (images, buttons). */
function LinkFields(p: {
  href: string | undefined;
  tracked: boolean;
  readOnly: boolean;
  required?: boolean;
  set: EditorProps<unknown>['set'];
}) {
  return (
    <>
      <TextField
        label="Link"
        value={p.href}
        placeholder="https://…"
        readOnly={p.readOnly}
        optional={!p.required}
        validate={(v) =>
          /^\s*(javascript|vbscript|data):/i.test(v)
            ? 'Script and data URLs are not allowed.'
            : null
        }
        onChange={(v) => p.set({ href: p.required ? (v ?? '') : v }, 'Edit link')}
      />
      <CheckField
        label="Track clicks"
        checked={p.tracked}
        readOnly={p.readOnly}
        onChange={(v) => p.set({ tracked: v }, v ? 'Track clicks' : 'Do not track clicks')}
      />
    </>
  );
}

export function ImageEditor({
  block,
  set,
  lock,
  onPickAsset,
}: EditorProps<Of<'image'>> & { onPickAsset?: (imageId: string) => void }) {
  const [over, setOver] = useState(false);
  const off = ro(lock);
  const chooseAsset = (assetId: string, rendition?: Of<'image'>['rendition']) =>
    set({ assetId, src: undefined, rendition }, 'Change image');
  return (
    <>
      <Section title="Image">
        <div
          className={`wm-drop${over ? ' over' : ''}`}
          aria-label="Image asset"
          onDragOver={(e) => {
            if (!off && isDesignerDrag(e.dataTransfer)) {
              e.preventDefault();
              setOver(true);
            }
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            setOver(false);
            const d = readDrag(e.dataTransfer);
            if (!off && d?.type === 'asset') {
              e.preventDefault();
              chooseAsset(d.assetId, d.rendition);
            }
          }}
        >
          <span>
            {block.assetId ? (
              <>
                Asset <code>{block.assetId}</code>
              </>
            ) : block.src ? (
              'An image URL'
            ) : (
              'No image yet'
            )}
          </span>
          <span className="wm-hint">Drop an asset here, or:</span>
          {onPickAsset && (
            <button type="button" disabled={off} onClick={() => onPickAsset(block.id)}>
              Change image
            </button>
          )}
        </div>
        <TextField
          label="Asset"
          value={block.assetId}
          placeholder="asset id"
          readOnly={off}
          onChange={(v) => set({ assetId: v, ...(v ? { src: undefined } : {}) }, 'Change image')}
        />
        {block.assetId && (
          <RenditionField
            key={block.assetId}
            assetId={block.assetId}
            rendition={block.rendition}
            readOnly={off}
            set={set}
          />
        )}
        <TextField
          label="Image URL"
          value={block.src}
          placeholder="https://…"
          readOnly={off}
          validate={(v) =>
            /^\s*(javascript|vbscript):/i.test(v) ? 'Script URLs are not allowed.' : null
          }
          onChange={(v) =>
            set({ src: v, ...(v ? { assetId: undefined, rendition: undefined } : {}) }, 'Image URL')
          }
        />
        <TextField
          label="Alternative text"
          value={block.alt}
          optional={false}
          readOnly={off}
          hint={block.alt ? undefined : 'Describe the image for screen readers and blocked images.'}
          onChange={(v) => set({ alt: v ?? '' }, 'Alternative text')}
        />
        <TextField
          label="Title"
          value={block.title}
          readOnly={off}
          onChange={(v) => set({ title: v }, 'Image title')}
        />
        <LinkFields href={block.href} tracked={block.tracked} readOnly={off} set={set} />
        <CssField
          label="Width"
          value={block.width}
          placeholder="100%"
          readOnly={off}
          onChange={(v) => set({ width: v }, 'Image width')}
        />
        <SelectField
          label="Align"
          value={block.align}
          options={ALIGN_OPTIONS}
          readOnly={off}
          onChange={(v) => set({ align: v }, 'Align image')}
        />
      </Section>
    </>
  );
}

/** The asset's rendition: the library's choices for it (the usual three when it does not answer). */
function RenditionField(p: {
  assetId: string;
  rendition: Of<'image'>['rendition'];
  readOnly: boolean;
  set: EditorProps<unknown>['set'];
}) {
  const api = useApi();
  // null while the library is asked (the select waits: a pick would otherwise use the fallback's sizes).
  const [loaded, setOptions] = useState<readonly RenditionOption[] | null>(null);
  const options = loaded ?? FALLBACK_RENDITIONS;
  useEffect(() => {
    let live = true;
    setOptions(null);
    api
      .get<{ items?: Array<{ label: string; spec?: RenditionOption['spec'] }> }>(
        `/v1/asset-library/${encodeURIComponent(p.assetId)}/renditions`,
      )
      .then(
        (r) => {
          if (live) setOptions(renditionOptions(r.items));
        },
        () => {
          if (live) setOptions(FALLBACK_RENDITIONS);
        },
      );
    return () => {
      live = false;
    };
  }, [api, p.assetId]);
  const picked = pickedOption(options, p.rendition);
  // A rendition set elsewhere (code view, an older pick) stays listed rather than shown as another.
  const list: Array<readonly [string, string]> = options.map(
    (o, i) => [String(i), o.label] as const,
  );
  if (!picked && p.rendition) list.push(['custom', `Custom (${describeRendition(p.rendition)})`]);
  const value = picked ? String(options.indexOf(picked)) : 'custom';
  return (
    <SelectField
      label="Rendition"
      value={value}
      readOnly={p.readOnly || loaded === null}
      options={list}
      onChange={(v) => {
        const o = v === undefined || v === 'custom' ? undefined : options[Number(v)];
        if (o) p.set({ rendition: renditionFor(o.spec) }, 'Image rendition');
      }}
    />
  );
}

export function ButtonEditor({ block, set, lock, palette }: EditorProps<Of<'button'>>) {
  const designer = useDesigner();
  const off = ro(lock);
  const personalize = async () => {
    const src = await designer.personalize({
      initial: block.label,
      mode: 'field',
      title: 'Button label',
    });
    if (src !== null) set({ label: src }, 'Personalize button label');
  };
  return (
    <Section title="Button">
      <TextField
        label="Label"
        value={block.label}
        optional={false}
        readOnly={contentRo(lock)}
        onChange={(v) => set({ label: v ?? '' }, 'Button label')}
      />
      <button type="button" disabled={contentRo(lock)} onClick={() => void personalize()}>
        Personalize label
      </button>
      <LinkFields href={block.href} tracked={block.tracked} readOnly={off} required set={set} />
      <SelectField
        label="Open in"
        value={block.target}
        options={[
          ['', 'Default'],
          ['_blank', 'A new window'],
          ['_self', 'The same window'],
        ]}
        readOnly={off}
        onChange={(v) => set({ target: v }, 'Link target')}
      />
      <ColorField
        label="Button colour"
        value={block.backgroundColor}
        palette={palette}
        readOnly={off}
        onChange={(v) => set({ backgroundColor: v }, 'Button colour')}
      />
      <ColorField
        label="Text colour"
        value={block.color}
        palette={palette}
        readOnly={off}
        onChange={(v) => set({ color: v }, 'Button text colour')}
      />
      <CssField
        label="Corner radius"
        value={block.borderRadius}
        placeholder="4px"
        readOnly={off}
        onChange={(v) => set({ borderRadius: v }, 'Corner radius')}
      />
      <CssField
        label="Font size"
        value={block.fontSize}
        placeholder="14px"
        readOnly={off}
        onChange={(v) => set({ fontSize: v }, 'Font size')}
      />
      <SelectField
        label="Align"
        value={block.align}
        options={ALIGN_OPTIONS}
        readOnly={off}
        onChange={(v) => set({ align: v }, 'Align button')}
      />
    </Section>
  );
}

export function DividerEditor({ block, set, lock, palette }: EditorProps<Of<'divider'>>) {
  const off = ro(lock);
  return (
    <Section title="Divider">
      <ColorField
        label="Colour"
        value={block.color}
        palette={palette}
        readOnly={off}
        onChange={(v) => set({ color: v }, 'Divider colour')}
      />
      <CssField
        label="Thickness"
        value={block.width}
        placeholder="1px"
        readOnly={off}
        onChange={(v) => set({ width: v }, 'Divider thickness')}
      />
      <SelectField
        label="Line style"
        value={block.style}
        options={[
          ['', 'Default'],
          ['solid', 'Solid'],
          ['dashed', 'Dashed'],
          ['dotted', 'Dotted'],
        ]}
        readOnly={off}
        onChange={(v) => set({ style: v }, 'Divider style')}
      />
    </Section>
  );
}

export function SpacerEditor({ block, set, lock }: EditorProps<Of<'spacer'>>) {
  return (
    <Section title="Spacer">
      <CssField
        label="Height"
        value={block.height}
        placeholder="20px"
        readOnly={ro(lock)}
        onChange={(v) => set({ height: v ?? '20px' }, 'Spacer height')}
      />
    </Section>
  );
}

const NETWORK_LABEL: Record<(typeof socialNetworks)[number], string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  pinterest: 'Pinterest',
  tiktok: 'TikTok',
  web: 'Website',
};

export function SocialEditor({ block, set, lock }: EditorProps<Of<'social'>>) {
  const off = ro(lock);
  const links = block.links;
  const setLinks = (next: typeof links, label: string) => set({ links: next }, label);
  return (
    <Section title="Social links">
      <SelectField
        label="Align"
        value={block.align}
        options={ALIGN_OPTIONS}
        readOnly={off}
        onChange={(v) => set({ align: v }, 'Align social links')}
      />
      <CssField
        label="Icon size"
        value={block.iconSize}
        placeholder="24px"
        readOnly={off}
        onChange={(v) => set({ iconSize: v ?? '24px' }, 'Icon size')}
      />
      <CheckField
        label="Track clicks"
        checked={block.tracked}
        readOnly={off}
        onChange={(v) => set({ tracked: v }, 'Track clicks')}
      />
      <ol className="wm-rows">
        {links.map((l, i) => (
          <li key={i} role="group" aria-label={`Social link ${i + 1}`}>
            <SelectField
              label="Network"
              value={l.network}
              options={socialNetworks.map((n) => [n, NETWORK_LABEL[n]] as const)}
              readOnly={off}
              onChange={(v) =>
                setLinks(
                  links.map((x, j) => (j === i ? { ...x, network: v ?? 'web' } : x)),
                  'Social network',
                )
              }
            />
            <TextField
              label="Link"
              value={l.href}
              optional={false}
              readOnly={off}
              placeholder="https://…"
              onChange={(v) =>
                setLinks(
                  links.map((x, j) => (j === i ? { ...x, href: v ?? '' } : x)),
                  'Social link',
                )
              }
            />
            <TextField
              label="Label"
              value={l.label}
              readOnly={off}
              onChange={(v) =>
                setLinks(
                  links.map((x, j) => {
                    if (j !== i) return x;
                    const { label: _l, ...rest } = x;
                    return v ? { ...rest, label: v } : rest;
                  }),
                  'Social link label',
                )
              }
            />
            <button
              type="button"
              disabled={off}
              onClick={() =>
                setLinks(
                  links.filter((_, j) => j !== i),
                  'Remove social link',
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        disabled={off || links.length >= 12}
        onClick={() =>
          setLinks([...links, { network: 'web', href: 'https://' }], 'Add social link')
        }
      >
        Add social link
      </button>
    </Section>
  );
}

export function HtmlEditor({ block, set, lock }: EditorProps<Of<'html'>>) {
  return (
    <Section title="HTML">
      <CodeEditor
        label="HTML"
        language="html"
        value={block.content}
        readOnly={contentRo(lock)}
        onChange={(v) => set({ content: v }, 'Edit HTML')}
      />
    </Section>
  );
}

/** "1px 2px" -> four sides (CSS shorthand rules). */
function sides(padding: string | undefined): [string, string, string, string] {
  const p = (padding ?? '').trim().split(/\s+/).filter(Boolean);
  const [t = '', r = t, b = t, l = r] = p;
  return [t, r, b, l];
}

/** What every block has: padding (one value or four sides), background, border, hide on. */
export function CommonStyle({
  block,
  set,
  lock,
  palette,
  background = true,
}: EditorProps<LeafBlock | Component> & { background?: boolean }) {
  const off = ro(lock);
  const [each, setEach] = useState(() => new Set(sides(block.padding)).size > 1);
  const four = sides(block.padding);
  const setSide = (i: number, v: string | undefined) => {
    const next = [...four];
    next[i] = v ?? '0';
    set(
      {
        padding: next.every((x) => x === '' || x === '0')
          ? undefined
          : next.map((x) => x || '0').join(' '),
      },
      'Padding',
    );
  };
  return (
    <Section title="Block style">
      <CheckField label="Padding per side" checked={each} readOnly={off} onChange={setEach} />
      {each ? (
        (['Padding top', 'Padding right', 'Padding bottom', 'Padding left'] as const).map(
          (l, i) => (
            <CssField
              key={l}
              label={l}
              value={four[i] || undefined}
              placeholder="0"
              readOnly={off}
              onChange={(v) => setSide(i, v)}
            />
          ),
        )
      ) : (
        <CssField
          label="Padding"
          value={block.padding}
          placeholder="10px 25px"
          readOnly={off}
          onChange={(v) => set({ padding: v }, 'Padding')}
        />
      )}
      {background && (
        <ColorField
          label="Background"
          value={block.backgroundColor}
          palette={palette}
          readOnly={off}
          onChange={(v) => set({ backgroundColor: v }, 'Block background')}
        />
      )}
      <CssField
        label="Border"
        value={block.border}
        placeholder="1px solid #cccccc"
        readOnly={off}
        onChange={(v) => set({ border: v }, 'Border')}
      />
      <SelectField
        label="Hide on"
        value={block.hideOn}
        options={[
          ['', 'None (show everywhere)'],
          ['mobile', 'Mobile'],
          ['desktop', 'Desktop'],
        ]}
        readOnly={off}
        onChange={(v) => set({ hideOn: v }, 'Hide on')}
      />
    </Section>
  );
}
