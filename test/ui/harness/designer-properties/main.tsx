// A test page for the designer's properties panel and rich text editor (test/ui/designer-rich-text.test.ts):
// the real panel and editor with the console's dialogs and API client, over a stand-in designer
// (content state, selection, a personalize() the test answers) and a stand-in canvas (a button per id).
// Built by the test with Vite into a temporary folder; never part of the console.
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Governance } from '../../../../src/model/content-template.ts';
import { governanceSchema } from '../../../../src/model/content-template.ts';
import type { EmailContent } from '../../../../src/model/message-content.ts';
import { emailContentSchema } from '../../../../src/model/message-content.ts';
import order from '../../../../examples/luma/content/order-confirmation-email.json' with { type: 'json' };
import { DialogProvider } from '../../../../ui/src/app/dialog.tsx';
import { SessionProvider } from '../../../../ui/src/app/session.tsx';
import { EMPTY_CATALOG } from '../../../../ui/src/canvas/catalog.ts';
import type { Catalog } from '../../../../ui/src/canvas/catalog.ts';
import { DesignerContext } from '../../../../ui/src/designer/contracts.ts';
import type { DesignerApi, PersonalizeRequest } from '../../../../ui/src/designer/contracts.ts';
import { PropertiesPanel } from '../../../../ui/src/designer/properties/properties-panel.tsx';
import {
  RichTextEditor,
  editorHtmlFor,
} from '../../../../ui/src/designer/properties/rich-text.tsx';
import { fromEditorHtml } from '../../../../ui/src/designer/properties/rich-text-model.ts';
import {
  VariantPreviewProvider,
  useVariantPreview,
} from '../../../../ui/src/designer/properties/variant-preview.ts';
import '../../../../ui/src/styles.css';

interface Harness {
  content: EmailContent;
  selection: string | null;
  personalizeCalls: PersonalizeRequest[];
  /** What the next personalize() resolves to (null: cancelled). */
  personalizeAnswer: string | null;
  pickAssetCalls: string[];
  shown: Record<string, number>;
  rt: string;
  setRt(v: string): void;
  /** editorHtmlFor + the editor's serialization, as the page's DOM does it. */
  roundTrip(source: string): { ok: boolean; back?: string; note?: string };
}
declare global {
  interface Window {
    wm: Harness;
  }
}

const params = new URLSearchParams(location.search);

/** The lab's document before its conditional content: the banner is a plain image; the demo's container stays below it. */
function initialContent(): EmailContent {
  const c = emailContentSchema.parse(order);
  const doc = c.document!;
  const banner = doc.body.find((s) => s.id === 'banner')!;
  const container = banner.columns[0]!.blocks[0]!;
  if (container.kind !== 'container') throw new Error('the demo banner is no container');
  const image = { ...container.blocks[0]!, variants: [] };
  const renamed = {
    ...container,
    id: 'banner-container',
    blocks: container.blocks.map((b) => ({ ...b, id: `${b.id}-c` })),
    variants: container.variants.map((v) => ({
      ...v,
      blocks: v.blocks.map((b) => ({ ...b, id: `${b.id}-c` })),
    })),
  };
  // The demo names the footer structure and its fragment block both "footer": give the block its own id.
  const body = doc.body
    .map((s) =>
      s.id !== 'footer'
        ? s
        : {
            ...s,
            columns: s.columns.map((c) => ({
              ...c,
              blocks: c.blocks.map((b) =>
                b.id === 'footer' ? { ...b, id: 'footer-fragment' } : b,
              ),
            })),
          },
    )
    .flatMap((s) =>
      s.id !== 'banner'
        ? [s]
        : [
            { ...s, columns: [{ ...s.columns[0]!, blocks: [image] }] },
            {
              ...s,
              id: 'banner-demo',
              columns: [{ ...s.columns[0]!, id: 'banner-demo-col', blocks: [renamed] }],
            },
          ],
    );
  return {
    ...c,
    document: { ...doc, theme: { palette: ['#1473e6', '#d7373f', '#2c2c2c'] }, body },
  };
}

const governance: Governance | undefined = params.get('locks')
  ? governanceSchema.parse({
      mode: 'content-locking',
      locks: { header: 'locked', promo: 'editable-content-only' },
    })
  : undefined;
const catalog: Catalog = {
  ...EMPTY_CATALOG,
  audiences: ['Luma Mobile App Users', 'Not Luma Mobile App Users', 'Luma Blue Members'].map(
    (name, i) => ({ key: name, revision: i + 1, spec: { name } }),
  ),
};

function ids(c: EmailContent): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o['id'] === 'string') out.push(o['id']);
    for (const k of ['body', 'columns', 'blocks', 'variants', 'block']) if (k in o) walk(o[k]);
  };
  walk(c.document?.body);
  return out;
}

function Page() {
  const [content, setContent] = useState(initialContent);
  const [selection, setSelection] = useState<string | null>(null);
  const [rt, setRt] = useState(
    '<p>Hello {%= profile.person.name.firstName ?: "there" %}, welcome.</p>',
  );
  const preview = useVariantPreview();
  window.wm.content = content;
  window.wm.selection = selection;
  window.wm.rt = rt;
  window.wm.setRt = setRt;
  window.wm.shown = Object.fromEntries(preview.shown);
  const api = useMemo<DesignerApi>(
    () => ({
      content,
      doc: content.document!,
      selection,
      select: setSelection,
      update: (next) => setContent((c) => next(c)),
      insert: () => {},
      personalize: (req) => {
        window.wm.personalizeCalls.push(req);
        return Promise.resolve(window.wm.personalizeAnswer);
      },
      host: { kind: 'content-template', key: 'harness' },
      catalog,
      governance,
      locksApply: !!governance,
      locale: null,
      setLocale: () => {},
      device: 'desktop',
      setDevice: () => {},
    }),
    [content, selection],
  );
  return (
    <DesignerContext.Provider value={api}>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 380px', height: '100vh' }}>
        <main style={{ overflow: 'auto', padding: 12 }}>
          <h1 style={{ fontSize: 16 }}>Canvas stand-in</h1>
          <nav aria-label="Canvas" className="row">
            <button type="button" onClick={() => setSelection(null)}>
              Select nothing
            </button>
            {ids(content).map((id) => (
              <button
                key={id}
                type="button"
                aria-pressed={selection === id}
                onClick={() => setSelection(id)}
              >
                Select {id}
              </button>
            ))}
          </nav>
          <p>
            Preview:{' '}
            <output aria-label="Variant preview">
              {JSON.stringify(Object.fromEntries(preview.shown))}
            </output>
          </p>
          <section aria-label="Standalone editor" style={{ maxWidth: 560 }}>
            <RichTextEditor
              label="Standalone text"
              value={rt}
              onChange={setRt}
              palette={['#1473e6', '#d7373f']}
            />
            <pre aria-label="Standalone source" style={{ whiteSpace: 'pre-wrap' }}>
              {rt}
            </pre>
          </section>
        </main>
        <PropertiesPanel onPickAsset={(id) => window.wm.pickAssetCalls.push(id)} />
      </div>
    </DesignerContext.Provider>
  );
}

window.wm = {
  content: initialContent(),
  selection: null,
  personalizeCalls: [],
  personalizeAnswer: null,
  pickAssetCalls: [],
  shown: {},
  rt: '',
  setRt: () => {},
  roundTrip(source) {
    const c = editorHtmlFor(source);
    if (!c.ok) return { ok: false, note: c.note };
    const div = document.createElement('div');
    div.innerHTML = c.html;
    return { ok: true, back: fromEditorHtml(div.innerHTML) };
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DialogProvider>
      <SessionProvider
        user={
          {
            name: 'harness',
            sandbox: 'prod',
            sandboxes: ['prod'],
            csrfToken: 'x',
            expiresAt: '2100-01-01T00:00:00Z',
          } as never
        }
        sandbox="prod"
        onSandbox={() => {}}
        onSignOut={() => {}}
        onEnded={() => {}}
      >
        <VariantPreviewProvider>
          <Page />
        </VariantPreviewProvider>
      </SessionProvider>
    </DialogProvider>
  </StrictMode>,
);
