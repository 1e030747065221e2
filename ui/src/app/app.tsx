// Sign-in gate and the route table.
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import { currentSession, errorText } from '../api/client.ts';
import type { SessionInfo } from '../api/client.ts';
import { JourneyList } from '../journeys/journey-list.tsx';
import { DeadLetters } from '../objects/dead-letters.tsx';
import { SystemStatus } from '../objects/system-status.tsx';
import { Inbox } from '../objects/inbox.tsx';
import { ReportsIndex } from '../reports/reports-index.tsx';

// The screens with the canvas, the editors and the charts load on first use: sign-in and the
// journey list stay small.
const JourneyEditor = lazy(() =>
  import('../canvas/journey-editor.tsx').then((m) => ({ default: m.JourneyEditor })),
);
const ObjectPage = lazy(() =>
  import('../objects/object-page.tsx').then((m) => ({ default: m.ObjectPage })),
);
const Packages = lazy(() =>
  import('../objects/packages.tsx').then((m) => ({ default: m.Packages })),
);
const Profiles = lazy(() =>
  import('../objects/profiles.tsx').then((m) => ({ default: m.Profiles })),
);
const TranslationProjects = lazy(() =>
  import('../objects/translation-projects.tsx').then((m) => ({ default: m.TranslationProjects })),
);
const UsersPage = lazy(() => import('../admin/users.tsx').then((m) => ({ default: m.UsersPage })));
const RolesPage = lazy(() => import('../admin/roles.tsx').then((m) => ({ default: m.RolesPage })));
const ApiKeysPage = lazy(() =>
  import('../admin/api-keys.tsx').then((m) => ({ default: m.ApiKeysPage })),
);
const SandboxesPage = lazy(() =>
  import('../admin/sandboxes.tsx').then((m) => ({ default: m.SandboxesPage })),
);
const AuditLogPage = lazy(() =>
  import('../admin/audit-log.tsx').then((m) => ({ default: m.AuditLogPage })),
);
const SuppressionsPage = lazy(() =>
  import('../admin/suppressions.tsx').then((m) => ({ default: m.SuppressionsPage })),
);
const ApprovalsPage = lazy(() =>
  import('../admin/approvals.tsx').then((m) => ({ default: m.ApprovalsPage })),
);
const CampaignList = lazy(() =>
  import('../campaigns/campaign-list.tsx').then((m) => ({ default: m.CampaignList })),
);
const NewCampaign = lazy(() =>
  import('../campaigns/step-properties.tsx').then((m) => ({ default: m.NewCampaign })),
);
const CampaignWizard = lazy(() =>
  import('../campaigns/campaign-wizard.tsx').then((m) => ({ default: m.CampaignWizard })),
);
const CampaignReview = lazy(() =>
  import('../campaigns/campaign-review.tsx').then((m) => ({ default: m.CampaignReview })),
);
const CampaignReportPage = lazy(() =>
  import('../campaigns/campaign-report.tsx').then((m) => ({ default: m.CampaignReportPage })),
);
const LandingPageList = lazy(() =>
  import('../landing-pages/landing-page-list.tsx').then((m) => ({ default: m.LandingPageList })),
);
const LandingPageEditor = lazy(() =>
  import('../landing-pages/landing-page-editor.tsx').then((m) => ({
    default: m.LandingPageEditor,
  })),
);
const ReportPage = lazy(() =>
  import('../reports/report-page.tsx').then((m) => ({ default: m.ReportPage })),
);
import { isObjectKind } from './menu.ts';
import { match, navigate, useLocation } from './router.ts';
import { DialogProvider } from './dialog.tsx';
import { Shell } from './shell.tsx';
import { SignIn } from './sign-in.tsx';
import { SessionProvider, loadSandbox, saveSandbox } from './session.tsx';
import { MeProvider } from './permissions.tsx';
import { RouteGuard } from './route-guard.tsx';
import { SetPassword } from './set-password.tsx';
import { meIn } from './sign-in-flow.ts';

function Route(props: { path: string }) {
  const p = props.path;
  let m: Record<string, string> | null;
  if (p === '/' || p === '/journeys') return <JourneyList />;
  if ((m = match('/journeys/:id', p))) return <JourneyEditor key={m['id']} id={m['id']!} />;
  if ((m = match('/journeys/:id/report', p))) return <ReportPage key={m['id']} id={m['id']!} />;
  if (p === '/reports') return <ReportsIndex />;
  if (p === '/landing-pages') return <LandingPageList />;
  if ((m = match('/landing-pages/:slug', p)))
    return <LandingPageEditor key={m['slug']} slug={m['slug']!} />;
  if (p === '/campaigns') return <CampaignList />;
  if (p === '/campaigns/new') return <NewCampaign />;
  if ((m = match('/campaigns/:id', p))) return <CampaignReview key={m['id']} id={m['id']!} />;
  if ((m = match('/campaigns/:id/report', p)))
    return <CampaignReportPage key={m['id']} id={m['id']!} />;
  if ((m = match('/campaigns/:id/edit', p)))
    return <CampaignWizard key={m['id']} id={m['id']!} step="properties" />;
  if ((m = match('/campaigns/:id/edit/:step', p)))
    return <CampaignWizard key={m['id']} id={m['id']!} step={m['step']!} />;
  if ((m = match('/objects/:kind', p)) && isObjectKind(m['kind']!))
    return <ObjectPage key={m['kind']} kind={m['kind']} />;
  if ((m = match('/objects/:kind/:key', p)) && isObjectKind(m['kind']!))
    return <ObjectPage key={m['kind']} kind={m['kind']} selected={m['key']!} />;
  if (p === '/profiles') return <Profiles />;
  if (p === '/packages') return <Packages />;
  if (p === '/inbox') return <Inbox />;
  if (p === '/dead-letters') return <DeadLetters />;
  if (p === '/translation-projects') return <TranslationProjects />;
  if ((m = match('/translation-projects/:id', p)))
    return <TranslationProjects key={m['id']} id={m['id']!} />;
  if (p === '/system') return <SystemStatus />;
  if (p === '/approvals') return <ApprovalsPage />;
  if (p === '/admin/users') return <UsersPage />;
  if ((m = match('/admin/users/:id', p))) return <UsersPage key={m['id']} selected={m['id']!} />;
  if (p === '/admin/roles') return <RolesPage />;
  if ((m = match('/admin/roles/:name', p)))
    return <RolesPage key={m['name']} selected={m['name']!} />;
  if (p === '/admin/api-keys') return <ApiKeysPage />;
  if (p === '/admin/sandboxes') return <SandboxesPage />;
  if ((m = match('/admin/sandboxes/:name', p)))
    return <SandboxesPage key={m['name']} selected={m['name']!} />;
  if (p === '/admin/audit-log') return <AuditLogPage />;
  if (p === '/suppressions') return <SuppressionsPage />;
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>No page at {p}.</p>
    </section>
  );
}

type Gate =
  | { readonly phase: 'checking' }
  | { readonly phase: 'signed-out'; readonly notice?: string }
  | { readonly phase: 'signed-in'; readonly user: SessionInfo };

const ENDED = 'Your session has ended. Sign in again.';

/** The pages reached from an email link, shown whether or not someone is signed in. */
const PUBLIC_PAGES: Record<string, 'invitation' | 'reset'> = {
  '/accept-invitation': 'invitation',
  '/reset-password': 'reset',
};

export function App() {
  const [sandbox, setSandboxState] = useState(loadSandbox);
  const [gate, setGate] = useState<Gate>({ phase: 'checking' });
  const path = useLocation();
  // A reload keeps the sign-in: the browser still holds the session cookie. The sandbox last used
  // opens again when the person may still enter it.
  useEffect(() => {
    let live = true;
    currentSession(sandbox)
      .then(async (user) => {
        if (!user) {
          if (live) setGate({ phase: 'signed-out' });
          return;
        }
        const me = await meIn(user, sandbox);
        if (!live) return;
        if (me.sandbox !== sandbox) {
          saveSandbox(me.sandbox);
          setSandboxState(me.sandbox);
        }
        setGate({ phase: 'signed-in', user });
      })
      .catch((err: unknown) => {
        if (live) setGate({ phase: 'signed-out', notice: errorText(err) });
      });
    return () => {
      live = false;
    };
    // Only on load: later sandbox changes happen inside a session.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const onSandbox = useCallback((s: string) => {
    saveSandbox(s);
    setSandboxState(s);
  }, []);
  const onSignedIn = useCallback(
    (user: SessionInfo, s: string) => {
      onSandbox(s);
      setGate({ phase: 'signed-in', user });
    },
    [onSandbox],
  );
  const onSignOut = useCallback(() => setGate({ phase: 'signed-out' }), []);
  const onEnded = useCallback(() => setGate({ phase: 'signed-out', notice: ENDED }), []);

  const purpose = PUBLIC_PAGES[path];
  if (purpose) {
    const token = new URLSearchParams(location.search).get('token');
    const toSignIn = (notice?: string) => {
      // Whoever was signed in here before is not who set this password.
      setGate(
        notice
          ? { phase: 'signed-out', notice }
          : gate.phase === 'signed-in'
            ? gate
            : { phase: 'signed-out' },
      );
      void navigate('/', { replace: true, force: true });
    };
    return (
      <SetPassword
        purpose={purpose}
        token={token}
        onDone={(n) => toSignIn(n)}
        onCancel={() => toSignIn()}
      />
    );
  }
  if (gate.phase === 'checking') return <p className="page muted">Loading…</p>;
  if (gate.phase === 'signed-out')
    return <SignIn sandbox={sandbox} notice={gate.notice} onSignedIn={onSignedIn} />;
  return (
    <DialogProvider>
      <SessionProvider
        user={gate.user}
        sandbox={sandbox}
        onSandbox={onSandbox}
        onSignOut={onSignOut}
        onEnded={onEnded}
      >
        <MeProvider>
          <Shell path={path}>
            <Suspense fallback={<p className="page muted">Loading…</p>}>
              <RouteGuard key={sandbox} path={path}>
                <Route key={sandbox} path={path} />
              </RouteGuard>
            </Suspense>
          </Shell>
        </MeProvider>
      </SessionProvider>
    </DialogProvider>
  );
}
