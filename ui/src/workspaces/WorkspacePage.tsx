import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app/context';
import { useDocumentTitle, useLoad } from '../app/hooks';
import { Link, navigate } from '../app/router';
import { openEventStream } from '../api/eventStream';
import type { Workspace } from '../api/types';
import { ErrorMessage, PageHeader, RelativeTime, Spinner, StatusBadge } from '../components/common';
import { probeTerminalCapability, terminalCapability, type Capability } from '../terminal/capability';
import { applyChange } from './list';
import { PublishPanel } from '../publish/PublishPanel';
import { PreviewControls } from './PreviewControls';
import { returnToPreview } from './preview';
import { actionsFor, labelOf } from './status';

/**
 * One workspace: its facts, its previews and its terminal. With `?preview=<port>` (where an
 * expired preview sends its owner back) it opens that preview at once, in this tab.
 */
export function WorkspacePage({ workspaceId, preview }: { workspaceId: string; preview: string | null }) {
  const { api } = useApp();
  const path = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}`;
  const [loaded, reload, setLoaded] = useLoad((signal) => api.get<Workspace>(path, signal), [path]);
  const [returning, setReturning] = useState<string | null>(preview);
  const [returnError, setReturnError] = useState<string | null>(null);
  const started = useRef(false);
  const [terminal, setTerminal] = useState<Capability>(terminalCapability());
  const workspace = loaded.state === 'loaded' ? loaded.value : null;
  useDocumentTitle(workspace?.name ?? 'Workspace');

  // Once per visit: a second ticket would be wasted, and this page is being replaced anyway.
  useEffect(() => {
    if (returning === null || started.current) return;
    started.current = true;
    void returnToPreview(api, workspaceId, returning).then((outcome) => {
      if (outcome.kind === 'leaving') return;
      setReturning(null);
      setReturnError(outcome.message);
      // A reload shows the workspace instead of trying again unasked.
      navigate(`/workspaces/${encodeURIComponent(workspaceId)}`, { replace: true });
    });
  }, [api, workspaceId, returning]);

  // Live status, so "Open :port" comes alive the moment the workspace is RUNNING.
  useEffect(() => {
    if (returning !== null) return;
    return openEventStream({
      client: api,
      path: '/api/v1/workspaces/events',
      onEvent: (event) => {
        if (event.event !== 'workspace') return;
        const change = JSON.parse(event.data) as Workspace;
        if (change.id !== workspaceId) return;
        setLoaded((current) => {
          if (current.state !== 'loaded') return current;
          const [next] = applyChange([current.value], change);
          return next ? { state: 'loaded', value: next } : { state: 'failed', message: 'This workspace has been deleted.' };
        });
      },
    });
  }, [api, workspaceId, returning, setLoaded]);

  const running = workspace?.status === 'RUNNING';
  useEffect(() => {
    if (terminal === 'unknown' && running) void probeTerminalCapability(api, workspaceId).then(setTerminal);
  }, [api, workspaceId, running, terminal]);

  if (returning !== null) {
    return <Spinner label={`Opening the preview of port ${returning}…`} />;
  }
  return (
    <section>
      <PageHeader title={workspace?.name ?? 'Workspace'}>
        {workspace && <StatusBadge status={workspace.status} />}
        <Link className="button button-secondary" href="/workspaces">Back to workspaces</Link>
      </PageHeader>
      {returnError && <ErrorMessage message={returnError} />}
      {loaded.state === 'loading' && <Spinner label="Loading the workspace…" />}
      {loaded.state === 'failed' && <ErrorMessage message={loaded.message} onRetry={reload} />}
      {workspace && (
        <>
          <div className="panel">
            <dl className="facts">
              <dt>Status</dt>
              <dd>{labelOf(workspace.status)}{workspace.statusReason && ` — ${workspace.statusReason}`}</dd>
              <dt>Blueprint</dt>
              <dd><code>{workspace.blueprintId}</code></dd>
              <dt>Changed</dt>
              <dd><RelativeTime iso={workspace.updatedAt} /></dd>
            </dl>
            {terminal === 'available' && actionsFor(workspace.status).terminal && (
              <div className="card-actions">
                <Link className="button" href={`/workspaces/${encodeURIComponent(workspace.id)}/terminal`}
                  aria-label={`Open a terminal in ${workspace.name}`}>Terminal</Link>
              </div>
            )}
          </div>
          <div className="panel">
            <h2>Previews</h2>
            <p className="lead">
              An app listening on one of these ports opens in a new tab, on an address of its own rather than the
              portal's, so it cannot read your portal sign-in. Only you can open it.
            </p>
            <PreviewControls workspace={workspace} />
          </div>
          <PublishPanel workspace={workspace} />
        </>
      )}
    </section>
  );
}
