// Sign-in gate and the route table.
import { Suspense, lazy, useCallback, useState } from 'react';
import type { Credentials } from '../api/client.ts';
import { JourneyList } from '../journeys/journey-list.tsx';
import { DeadLetters } from '../objects/dead-letters.tsx';
import { SystemStatus } from '../objects/system-status.tsx';
import { Inbox } from '../objects/inbox.tsx';
import { ReportsIndex } from '../reports/reports-index.tsx';

// The screens with the canvas, the editors and the charts load on first use: sign-in and the
// journey list stay small.
const JourneyEditor = lazy(() => import('../canvas/journey-editor.tsx').then((m) => ({ default: m.JourneyEditor })));
const ObjectPage = lazy(() => import('../objects/object-page.tsx').then((m) => ({ default: m.ObjectPage })));
const Packages = lazy(() => import('../objects/packages.tsx').then((m) => ({ default: m.Packages })));
const Profiles = lazy(() => import('../objects/profiles.tsx').then((m) => ({ default: m.Profiles })));
const ReportPage = lazy(() => import('../reports/report-page.tsx').then((m) => ({ default: m.ReportPage })));
import { isObjectKind } from './menu.ts';
import { match, useLocation } from './router.ts';
import { Shell } from './shell.tsx';
import { SignIn } from './sign-in.tsx';
import { SessionProvider, loadCredentials, rememberSandbox, saveCredentials } from './session.tsx';

function Route(props: { path: string }) {
  const p = props.path;
  let m: Record<string, string> | null;
  if (p === '/' || p === '/journeys') return <JourneyList />;
  if ((m = match('/journeys/:id', p))) return <JourneyEditor key={m['id']} id={m['id']!} />;
  if ((m = match('/journeys/:id/report', p))) return <ReportPage key={m['id']} id={m['id']!} />;
  if (p === '/reports') return <ReportsIndex />;
  if ((m = match('/objects/:kind', p)) && isObjectKind(m['kind']!)) return <ObjectPage key={m['kind']} kind={m['kind']} />;
  if ((m = match('/objects/:kind/:key', p)) && isObjectKind(m['kind']!)) return <ObjectPage key={m['kind']} kind={m['kind']} selected={m['key']!} />;
  if (p === '/profiles') return <Profiles />;
  if (p === '/packages') return <Packages />;
  if (p === '/inbox') return <Inbox />;
  if (p === '/dead-letters') return <DeadLetters />;
  if (p === '/system') return <SystemStatus />;
  return <section className="page"><h1>Not found</h1><p>No page at {p}.</p></section>;
}

export function App() {
  const [creds, setCreds] = useState<Credentials | null>(loadCredentials);
  const path = useLocation();
  const onChange = useCallback((c: Credentials | null) => {
    saveCredentials(c);
    if (c) rememberSandbox(c.sandbox);
    setCreds(c);
  }, []);
  if (!creds) return <SignIn onSignedIn={onChange} />;
  return (
    <SessionProvider creds={creds} onChange={onChange}>
      <Shell path={path}>
        <Suspense fallback={<p className="page muted">Loading…</p>}>
          <Route key={creds.sandbox} path={path} />
        </Suspense>
      </Shell>
    </SessionProvider>
  );
}
