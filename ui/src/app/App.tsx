import { PublishedPage } from '../publish/PublishedPage';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { ApiClient } from '../api/client';
import type { Member } from '../api/types';
import { boot, type Boot, type Session } from '../auth/session';
import { AdminBlueprintsPage } from '../blueprints/AdminBlueprintsPage';
import { BlueprintEditor } from '../blueprints/BlueprintEditor';
import { BlueprintsPage } from '../blueprints/BlueprintsPage';
import { AuditPage } from '../audit/AuditPage';
import { ClustersPage } from '../clusters/ClustersPage';
import { MembersPage } from '../members/MembersPage';
import { PublishQueuePage } from '../publish/PublishQueuePage';
import { SecurityPage } from '../security/SecurityPage';
import { SettingsPage } from '../settings/SettingsPage';
import { EmptyState, ErrorMessage, Spinner } from '../components/common';
import { WorkspacePage } from '../workspaces/WorkspacePage';
import { WorkspacesPage } from '../workspaces/WorkspacesPage';
import { loadBranding, useBranding } from '../settings/branding';
import { AppContext } from './context';
import { useLoad } from './hooks';
import type { JSX } from 'react';
import { Link, match, usePath, type Route } from './router';

// xterm.js is large and only the terminal screen needs it.
const TerminalPage = lazy(() => import('../terminal/TerminalPage'));
// The topology screen (and, behind it, cytoscape) is for admins only.
const TopologyPage = lazy(() => import('../topology/TopologyPage').then((m) => ({ default: m.TopologyPage })));

// Once per page load: the authorization code in the URL can be exchanged only once.
let booting: Promise<Boot> | null = null;

export function App() {
  const [state, setState] = useState<Boot | null>(null);
  useEffect(() => {
    void loadBranding();
    booting ??= boot();
    void booting.then(setState);
  }, []);
  if (state === null || state.kind === 'redirecting') {
    return <main className="center"><Spinner label="Signing you in…" /></main>;
  }
  if (state.kind === 'signed-out') {
    return (
      <main className="center">
        <div className="panel">
          <h1>You have signed out</h1>
          <p>Close this tab, or sign in again to get back to your workspaces.</p>
          <button type="button" onClick={state.signIn} autoFocus>Sign in</button>
        </div>
      </main>
    );
  }
  if (state.kind === 'failed') {
    return (
      <main className="center">
        <div className="panel">
          <h1>Signing in did not work</h1>
          <ErrorMessage message={state.message} />
          {state.signIn
            ? <button type="button" onClick={state.signIn}>Sign in again</button>
            : <button type="button" onClick={() => window.location.reload()}>Reload</button>}
        </div>
      </main>
    );
  }
  return <SignedIn session={state.session} />;
}

function SignedIn({ session }: { session: Session }) {
  const api = useMemo(() => new ApiClient(session), [session]);
  const [me, reloadMe] = useLoad((signal) => api.get<Member>('/api/v1/me', signal));
  useEffect(() => session.scheduleRenewal(), [session]);
  if (me.state === 'loading') {
    return <main className="center"><Spinner label="Loading your account…" /></main>;
  }
  if (me.state === 'failed') {
    return (
      <main className="center">
        <div className="panel">
          <h1>The portal did not accept your sign-in</h1>
          <ErrorMessage message={me.message} onRetry={reloadMe} />
          <button type="button" className="button-secondary" onClick={() => session.signOut()}>Sign out</button>
        </div>
      </main>
    );
  }
  return (
    <AppContext.Provider value={{ api, session, me: me.value }}>
      <Shell me={me.value} session={session} />
    </AppContext.Provider>
  );
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: string }) {
  return <Link href={href} aria-current={current ? 'page' : undefined}>{children}</Link>;
}

function Shell({ me, session }: { me: Member; session: Session }) {
  const path = usePath();
  const route = match(path);
  const admin = me.role === 'admin';
  const section = route.screen === 'terminal' || route.screen === 'workspace' ? 'workspaces' : route.screen === 'admin-blueprint-edit' ? 'admin-blueprints' : route.screen;
  const branding = useBranding();
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className={admin ? 'topbar topbar-admin' : 'topbar'}>
        <Link className="brand" href="/workspaces">
          {branding.logoSrc && <img className="brand-logo" src={branding.logoSrc} alt="" />}
          {branding.productName}
        </Link>
        <nav aria-label="Main">
          <NavLink href="/workspaces" current={section === 'workspaces'}>My workspaces</NavLink>
          <NavLink href="/blueprints" current={section === 'blueprints'}>Blueprints</NavLink>
          {admin && (
            <>
              <span className="nav-divider" aria-hidden="true" />
              <NavLink href="/admin/blueprints" current={section === 'admin-blueprints'}>Manage blueprints</NavLink>
              <NavLink href="/admin/clusters" current={section === 'admin-clusters'}>Clusters</NavLink>
              <NavLink href="/admin/topology" current={section === 'admin-topology'}>Topology</NavLink>
              <NavLink href="/admin/members" current={section === 'admin-members'}>Members</NavLink>
              <NavLink href="/admin/publish" current={section === 'admin-publish'}>Publishing</NavLink>
              <NavLink href="/admin/security" current={section === 'admin-security'}>Security</NavLink>
              <NavLink href="/admin/audit" current={section === 'admin-audit'}>Audit</NavLink>
              <NavLink href="/admin/settings" current={section === 'admin-settings'}>Settings</NavLink>
            </>
          )}
        </nav>
        <div className="account">
          <span className="who" title={me.role === 'admin' ? 'Administrator' : 'Member'}>
            {me.email}{admin && <span className="role">admin</span>}
          </span>
          <button type="button" className="button-secondary" onClick={() => session.signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Screen route={route} admin={admin} />
      </main>
    </>
  );
}

function Screen({ route, admin }: { route: Route; admin: boolean }) {
  const adminOnly = (element: JSX.Element) => admin ? element : (
    <EmptyState title="For administrators">
      <p>This page is for portal administrators. <Link href="/workspaces">Go to your workspaces</Link>.</p>
    </EmptyState>
  );
  switch (route.screen) {
    case 'workspaces':
      return <WorkspacesPage />;
    case 'workspace':
      return <WorkspacePage key={route.workspaceId} workspaceId={route.workspaceId} preview={route.preview} />;
    case 'blueprints':
      return <BlueprintsPage />;
    case 'published':
      return <PublishedPage key={route.requestId} requestId={route.requestId} />;
    case 'terminal':
      return (
        <Suspense fallback={<Spinner label="Loading the terminal…" />}>
          <TerminalPage workspaceId={route.workspaceId} />
        </Suspense>
      );
    case 'admin-blueprints':
      return adminOnly(<AdminBlueprintsPage />);
    case 'admin-blueprint-edit':
      return adminOnly(<BlueprintEditor key={route.blueprintId ?? 'new'} blueprintId={route.blueprintId} />);
    case 'admin-clusters':
      return adminOnly(<ClustersPage />);
    case 'admin-topology':
      return adminOnly(
        <Suspense fallback={<Spinner label="Loading the topology…" />}>
          <TopologyPage />
        </Suspense>,
      );
    case 'admin-members':
      return adminOnly(<MembersPage />);
    case 'admin-security':
      return adminOnly(<SecurityPage tab={route.tab} />);
    case 'admin-audit':
      return adminOnly(<AuditPage />);
    case 'admin-publish':
      return adminOnly(<PublishQueuePage />);
    case 'admin-settings':
      return adminOnly(<SettingsPage />);
    default:
      return (
        <EmptyState title="Page not found">
          <p>There is nothing at this address. <Link href="/workspaces">Go to your workspaces</Link>.</p>
        </EmptyState>
      );
  }
}
