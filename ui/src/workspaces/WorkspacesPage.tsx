import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../app/context';
import { takeFlash } from '../app/flash';
import { useDocumentTitle } from '../app/hooks';
import { Link } from '../app/router';
import type { ApiClient } from '../api/client';
import { openEventStream, type StreamState } from '../api/eventStream';
import type { Accepted, ListResponse, Workspace } from '../api/types';
import {
  Dialog, EmptyState, ErrorMessage, Notice, PageHeader, RelativeTime, Spinner, StatusBadge,
} from '../components/common';
import { probeTerminalCapability, terminalCapability, type Capability } from '../terminal/capability';
import { applyChange, reconcile } from './list';
import { PreviewControls } from './PreviewControls';
import { actionsFor } from './status';

const PAGE_SIZE = 200;
const MAX_PAGES = 10;

async function listAll(api: ApiClient): Promise<Workspace[]> {
  const all: Workspace[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const answer: ListResponse<Workspace> = await api.get(`/api/v1/workspaces?limit=${PAGE_SIZE}${query}`);
    all.push(...answer.items);
    cursor = answer.next;
    if (!cursor) break;
  }
  return all;
}

type Action = 'start' | 'stop' | 'delete';

/** The caller's workspaces, kept live by the event stream. */
export function WorkspacesPage() {
  const { api } = useApp();
  useDocumentTitle('My workspaces');
  const [workspaces, setWorkspaces] = useState<Workspace[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [pending, setPending] = useState<Record<string, Action>>({});
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(() => takeFlash());
  const [confirmDelete, setConfirmDelete] = useState<Workspace | null>(null);
  const [terminal, setTerminal] = useState<Capability>(terminalCapability());
  const listing = useRef(0);

  const refresh = useCallback(async () => {
    const generation = ++listing.current;
    try {
      const listed = await listAll(api);
      if (generation === listing.current) {
        setWorkspaces((current) => reconcile(current ?? [], listed));
        setLoadError(null);
      }
    } catch (e) {
      if (generation === listing.current) setLoadError((e as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    return openEventStream({
      client: api,
      path: '/api/v1/workspaces/events',
      onEvent: (event) => {
        if (event.event !== 'workspace') return;
        const change = JSON.parse(event.data) as Workspace;
        setWorkspaces((current) => applyChange(current ?? [], change));
      },
      // A reconnect may have missed changes (and deletions, which the stream's first answer
      // leaves out): list again.
      onOpen: () => { void refresh(); },
      onState: setStream,
    });
  }, [api, refresh]);

  const running = workspaces?.find((w) => w.status === 'RUNNING');
  useEffect(() => {
    if (terminal === 'unknown' && running) {
      void probeTerminalCapability(api, running.id).then(setTerminal);
    }
  }, [api, running, terminal]);

  const act = async (workspace: Workspace, action: Action) => {
    setPending((p) => ({ ...p, [workspace.id]: action }));
    setActionError(null);
    const path = `/api/v1/workspaces/${encodeURIComponent(workspace.id)}`;
    try {
      if (action === 'delete') {
        await api.delete<Accepted>(path);
      } else {
        await api.post<Accepted>(`${path}/${action}`);
      }
    } catch (e) {
      setActionError(`${workspace.name}: ${(e as Error).message}`);
    } finally {
      setPending(({ [workspace.id]: _done, ...rest }) => rest);
    }
  };

  return (
    <section>
      <PageHeader title="My workspaces">
        <LiveIndicator state={stream} />
        <Link className="button" href="/blueprints">Launch a workspace</Link>
      </PageHeader>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      {actionError && <ErrorMessage message={actionError} />}
      {loadError && <ErrorMessage message={loadError} onRetry={() => void refresh()} />}
      {workspaces === null && !loadError && <Spinner label="Loading your workspaces…" />}
      {workspaces !== null && workspaces.length === 0 && (
        <EmptyState title="You have no workspaces yet">
          <p>Pick a blueprint under <Link href="/blueprints">Blueprints</Link> and launch it: your workspace appears here and starts by itself.</p>
        </EmptyState>
      )}
      {workspaces !== null && workspaces.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your workspaces and their status</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Blueprint</th>
                <th scope="col">Preview</th>
                <th scope="col">Changed</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {workspaces.map((w) => {
                const allowed = actionsFor(w.status);
                const busy = pending[w.id] !== undefined;
                return (
                  <tr key={w.id} data-workspace={w.name} data-status={w.status}>
                    <th scope="row"><Link href={`/workspaces/${encodeURIComponent(w.id)}`}>{w.name}</Link></th>
                    <td>
                      <StatusBadge status={w.status} />
                      {w.statusReason && <div className="reason">{w.statusReason}</div>}
                    </td>
                    <td><code>{w.blueprintId}</code></td>
                    <td><PreviewControls workspace={w} compact /></td>
                    <td><RelativeTime iso={w.updatedAt} /></td>
                    <td className="row-actions">
                      {terminal === 'available' && allowed.terminal && (
                        <Link className="button" href={`/workspaces/${encodeURIComponent(w.id)}/terminal`}
                          aria-label={`Open a terminal in ${w.name}`}>Terminal</Link>
                      )}
                      <button type="button" className="button-secondary" disabled={!allowed.start || busy}
                        onClick={() => act(w, 'start')} aria-label={`Start ${w.name}`}>
                        {pending[w.id] === 'start' ? 'Starting…' : 'Start'}
                      </button>
                      <button type="button" className="button-secondary" disabled={!allowed.stop || busy}
                        onClick={() => act(w, 'stop')} aria-label={`Stop ${w.name}`}>
                        {pending[w.id] === 'stop' ? 'Stopping…' : 'Stop'}
                      </button>
                      <button type="button" className="button-danger" disabled={!allowed.delete || busy}
                        onClick={() => setConfirmDelete(w)} aria-label={`Delete ${w.name}`}>
                        Delete
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={confirmDelete !== null} title={`Delete ${confirmDelete?.name ?? ''}?`} onClose={() => setConfirmDelete(null)}>
        <p>Its files under <code>/workspace</code> are deleted with it. This cannot be undone.</p>
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={() => setConfirmDelete(null)} autoFocus>Keep it</button>
          <button type="button" className="button-danger" onClick={() => {
            const target = confirmDelete;
            setConfirmDelete(null);
            if (target) void act(target, 'delete');
          }}>Delete</button>
        </div>
      </Dialog>
    </section>
  );
}

function LiveIndicator({ state }: { state: StreamState }) {
  const text = state === 'live' ? 'Live' : state === 'stopped' ? 'Not updating' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" title="Status changes appear here as they happen">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
