// Sign-in gate and the route table.
import { useCallback, useState } from 'react';
import type { Credentials } from '../api/client.ts';
import { JourneyEditor } from '../canvas/journey-editor.tsx';
import { JourneyList } from '../journeys/journey-list.tsx';
import { DeadLetters } from '../objects/dead-letters.tsx';
import { Inbox } from '../objects/inbox.tsx';
import { ObjectPage } from '../objects/object-page.tsx';
import { Packages } from '../objects/packages.tsx';
import { Profiles } from '../objects/profiles.tsx';
import { ReportPage } from '../reports/report-page.tsx';
import { ReportsIndex } from '../reports/reports-index.tsx';
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
  if (p === '/assets') return <section className="page"><h1>Assets</h1><p className="muted">The asset library needs an API (<code>/v1/assets</code>) that the server does not offer yet.</p></section>;
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
        <Route key={creds.sandbox} path={path} />
      </Shell>
    </SessionProvider>
  );
}
