// The designer drawers on their own page, for test/ui/designer-drawers.test.ts: the console's
// session and dialogs, a stand-in DesignerApi that records what the drawers ask (insert, update,
// personalize) over a small document with an image and a text block, and the three parts: the
// asset selector, the fragment drawer and the personalization dialog. Bundled by the test with
// esbuild and served at /__drawers on the console's origin (the session cookie applies).
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { currentSession } from '../../../ui/src/api/client.ts';
import type { SessionInfo } from '../../../ui/src/api/client.ts';
import { DialogProvider } from '../../../ui/src/app/dialog.tsx';
import { SessionProvider } from '../../../ui/src/app/session.tsx';
import { DesignerContext } from '../../../ui/src/designer/contracts.ts';
import type {
  DesignerApi,
  DesignerHost,
  DragPayload,
  PersonalizeRequest,
} from '../../../ui/src/designer/contracts.ts';
import type { EmailContent } from '../../../src/model/message-content.ts';
import { AssetsDrawer } from '../../../ui/src/designer/drawers/assets-drawer.tsx';
import { FragmentsDrawer } from '../../../ui/src/designer/drawers/fragments-drawer.tsx';
import { PersonalizationDialog } from '../../../ui/src/designer/drawers/personalization-dialog.tsx';
import '../../../ui/src/styles.css';

declare global {
  interface Window {
    drawerLog: unknown[];
  }
}
window.drawerLog = [];

const HOST: DesignerHost = {
  kind: 'journey-activity',
  journeyId: 'purchase-journey',
  nodeId: 'confirmation',
  definition: {} as never,
};
const START: EmailContent = {
  channel: 'email',
  subject: 'Order',
  html: '',
  document: {
    version: 1,
    width: '600px',
    body: [
      {
        kind: 'structure',
        id: 's1',
        stackOnMobile: true,
        variants: [],
        columns: [
          {
            id: 'c1',
            blocks: [
              { kind: 'image', id: 'img1', alt: '', tracked: true, variants: [] },
              {
                kind: 'text',
                id: 'txt1',
                content: '<p>Here are the details of your order</p>',
                variants: [],
              },
            ],
          },
        ],
      },
    ],
  },
};

function Harness() {
  const [content, setContent] = useState<EmailContent>(START);
  const [selection, select] = useState<string | null>(null);
  const [drawer, setDrawer] = useState<'assets' | 'fragments'>('assets');
  const [asking, setAsking] = useState<{
    req: PersonalizeRequest;
    resolve(v: string | null): void;
  } | null>(null);
  const [last, setLast] = useState<string>('');
  const api = useMemo<DesignerApi>(
    () => ({
      content,
      doc: content.document!,
      selection,
      select,
      update(next, label) {
        setContent((c) => {
          const n = next(c);
          window.drawerLog.push({ update: label, content: n });
          return n;
        });
      },
      insert(p: DragPayload) {
        window.drawerLog.push({ insert: p });
        setLast(`insert ${JSON.stringify(p)}`);
      },
      personalize(req) {
        return new Promise((resolve) => setAsking({ req, resolve }));
      },
      host: HOST,
      catalog: {} as never,
      governance: undefined,
      locksApply: false,
      locale: null,
      setLocale() {},
      device: 'desktop',
      setDevice() {},
    }),
    [content, selection],
  );
  return (
    <DesignerContext.Provider value={api}>
      <div style={{ display: 'grid', gridTemplateColumns: '320px 1fr', height: '100vh' }}>
        <aside style={{ borderRight: '1px solid #ddd', overflow: 'auto', background: '#fff' }}>
          <div role="tablist" aria-label="Drawers" className="row" style={{ padding: 8 }}>
            <button
              role="tab"
              aria-selected={drawer === 'assets'}
              onClick={() => setDrawer('assets')}
            >
              Assets
            </button>
            <button
              role="tab"
              aria-selected={drawer === 'fragments'}
              onClick={() => setDrawer('fragments')}
            >
              Fragments
            </button>
          </div>
          {drawer === 'assets' ? <AssetsDrawer /> : <FragmentsDrawer />}
        </aside>
        <main style={{ padding: 16 }}>
          <h1>Drawers harness</h1>
          <div className="row">
            <button onClick={() => select('img1')}>Select the image</button>
            <button onClick={() => select('txt1')}>Select the text</button>
            <button onClick={() => select(null)}>Select nothing</button>
            <button
              onClick={() =>
                void api
                  .personalize({
                    initial: '',
                    mode: 'field',
                    title: 'Offer code (Promo Code Fragment)',
                  })
                  .then((s) => {
                    window.drawerLog.push({ personalized: s });
                    setLast(`personalized ${s}`);
                  })
              }
            >
              Personalize a field
            </button>
          </div>
          <p>Selected: {selection ?? 'nothing'}</p>
          <output aria-label="Last action">{last}</output>
          <pre aria-label="Document">
            {JSON.stringify(content.document?.body[0]?.columns[0]?.blocks, null, 1)}
          </pre>
        </main>
      </div>
      {asking && (
        <PersonalizationDialog
          request={asking.req}
          host={HOST}
          onDone={(s) => {
            asking.resolve(s);
            setAsking(null);
          }}
        />
      )}
    </DesignerContext.Provider>
  );
}

async function main() {
  const user: SessionInfo | null = await currentSession('prod');
  const root = createRoot(document.getElementById('root')!);
  if (!user) {
    root.render(<p>Not signed in</p>);
    return;
  }
  root.render(
    <DialogProvider>
      <SessionProvider
        user={user}
        sandbox="prod"
        onSandbox={() => {}}
        onSignOut={() => {}}
        onEnded={() => {}}
      >
        <Harness />
      </SessionProvider>
    </DialogProvider>,
  );
}
void main();
