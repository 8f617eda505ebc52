import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle, useLoad } from '../app/hooks';
import { Link } from '../app/router';
import type { Blueprint, ListResponse, Workspace } from '../api/types';
import { ApiError } from '../api/problem';
import { ErrorMessage, PageHeader, Spinner, StatusBadge } from '../components/common';
import type { ConnectionStatus } from './connection';
import { sessionsPath, type TerminalSession } from './protocol';
import {
  initialTabs, newShell, newToolTab, nextActiveAfterClose, reattachTab, replaceTab, tabIndexForKey, type TabState, type Tool,
} from './tabs';
import { TerminalView } from './TerminalView';

/** Terminals in a RUNNING workspace, relayed by the portal through the agent's tunnel: one per tab. */
export default function TerminalPage({ workspaceId }: { workspaceId: string }) {
  const { api } = useApp();
  const [workspace] = useLoad(
    (signal) => api.get<Workspace>(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}`, signal), [workspaceId]);
  const blueprintId = workspace.state === 'loaded' ? workspace.value.blueprintId : null;
  const [blueprint] = useLoad(
    (signal) => (blueprintId
      ? api.get<Blueprint>(`/api/v1/blueprints/${encodeURIComponent(blueprintId)}`, signal)
      : new Promise<Blueprint>(() => {})),
    [blueprintId]);
  const name = workspace.state === 'loaded' ? workspace.value.name : workspaceId;
  useDocumentTitle(`Terminal · ${name}`);

  if (workspace.state === 'loading') return <Spinner label="Loading the workspace…" />;
  if (workspace.state === 'failed') return <ErrorMessage message={workspace.message} />;
  const running = workspace.value.status === 'RUNNING';
  // A blueprint the caller may no longer see (its ACL changed) only costs the tool tabs.
  const tools: Tool[] | null = blueprint.state === 'loaded' ? blueprint.value.tools ?? []
    : blueprint.state === 'failed' ? [] : null;

  return (
    <section className="terminal-page">
      <PageHeader title={`Terminal: ${name}`}>
        <StatusBadge status={workspace.value.status} />
        <Link className="button button-secondary" href="/workspaces">Back to workspaces</Link>
      </PageHeader>
      {!running && (
        <ErrorMessage message={`This workspace is ${workspace.value.status.toLowerCase()}. A terminal needs it running: start it from your workspaces.`} />
      )}
      {running && tools === null && <Spinner label="Loading the blueprint's tools…" />}
      {running && tools !== null && <TerminalTabs workspaceId={workspaceId} workspaceName={name} tools={tools} />}
    </section>
  );
}

function TerminalTabs({ workspaceId, workspaceName, tools }: { workspaceId: string; workspaceName: string; tools: Tool[] }) {
  const { api } = useApp();
  const [tabs, setTabs] = useState<TabState[]>(() => initialTabs(tools));
  const [active, setActive] = useState<string | null>(() => tabs[0]?.key ?? null);
  const [sessions, setSessions] = useState<Record<string, string>>({}); // tab key → session id
  const [error, setError] = useState<string | null>(null);
  const [listVersion, setListVersion] = useState(0);
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  // A renewal (full-page round trip) would cut every terminal: hold it off while any is open.
  useBusyWhile(tabs.some((t) => t.started), 'terminal');

  const select = (key: string, focus = false) => {
    setActive(key);
    if (focus) tabRefs.current.get(key)?.focus();
  };

  // An AI tool may spend the blueprint's LLM credit: it starts on an explicit click, never because
  // its tab happened to be shown.
  const startTool = (key: string) => {
    setTabs((current) => current.map((t) => (t.key === key ? { ...t, started: true } : t)));
  };

  const onStatus = useCallback((key: string, status: ConnectionStatus) => {
    if (status.kind === 'ready') setSessions((s) => (s[key] === status.session ? s : { ...s, [key]: status.session }));
    // The sessions list changes when a session starts or ends.
    if (status.kind === 'ready' || status.kind === 'exited') setListVersion((v) => v + 1);
  }, []);

  const openTab = (tab: TabState) => {
    setTabs((current) => [...current, tab]);
    setActive(tab.key);
  };

  const openShellInstead = (key: string) => {
    setTabs((current) => {
      const replacement = newShell(current.filter((t) => t.key !== key));
      setActive(replacement.key);
      return replaceTab(current, key, replacement);
    });
  };

  /** Closing a tab ends its session on the agent (leaving the page only detaches it). */
  const closeTab = async (key: string) => {
    const session = sessions[key];
    setSessions(({ [key]: _closed, ...rest }) => rest);
    setTabs((current) => {
      setActive((a) => nextActiveAfterClose(current, key, a));
      return current.filter((t) => t.key !== key);
    });
    if (!session) return;
    try {
      await api.delete(sessionsPath(workspaceId, session));
    } catch (e) {
      // Already ended (404) is what closing wanted.
      if (!(e instanceof ApiError && e.status === 404)) setError(`The session could not be closed: ${(e as Error).message}`);
    }
    setListVersion((v) => v + 1);
  };

  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = tabIndexForKey(event.key, index, tabs.length);
    if (next === null) return;
    event.preventDefault();
    select(tabs[next].key, true);
  };

  const openHere = new Map(Object.entries(sessions).map(([key, id]) => [id, key]));

  return (
    <div className="terminal-tabs">
      {error && <ErrorMessage message={error} />}
      <div className="terminal-toolbar">
        <div role="tablist" aria-label="Terminals" className="tabs">
          {tabs.map((tab, index) => (
            <button key={tab.key} type="button" role="tab" id={`${tab.key}-tab`} aria-controls={`${tab.key}-panel`}
              aria-selected={tab.key === active} tabIndex={tab.key === active ? 0 : -1}
              className="tab" data-tab={tab.label}
              ref={(el) => { if (el) tabRefs.current.set(tab.key, el); else tabRefs.current.delete(tab.key); }}
              onClick={() => select(tab.key)} onKeyDown={(e) => onTabKeyDown(e, index)}>
              {tab.command !== null && <span className="tab-kind">AI</span>}
              {tab.label}
            </button>
          ))}
        </div>
        <div className="toolbar-actions banner-actions">
          <button type="button" className="button-secondary" onClick={() => openTab(newShell(tabs))}>New shell</button>
          {tools.map((tool) => (
            <button key={tool.name} type="button" className="button-secondary" onClick={() => openTab(newToolTab(tool))}
              aria-label={`New terminal running ${tool.name}`}>New {tool.name}</button>
          ))}
        </div>
      </div>
      {tabs.length === 0 && (
        <div className="empty">
          <p>No terminal is open.</p>
          <button type="button" onClick={() => openTab(newShell(tabs))}>Open a new shell</button>
        </div>
      )}
      {tabs.map((tab) => (
        <div key={tab.key} role="tabpanel" id={`${tab.key}-panel`} aria-labelledby={`${tab.key}-tab`}
          className="terminal-panel" hidden={tab.key !== active}>
          {tab.started && (
            <div className="panel-actions">
              <button type="button" className="button-secondary" onClick={() => void closeTab(tab.key)}
                aria-label={`Close terminal ${tab.label}`}>Close terminal</button>
            </div>
          )}
          {tab.started ? (
            <TerminalView api={api} workspaceId={workspaceId} workspaceName={workspaceName} tab={tab}
              active={tab.key === active} onStatus={onStatus} onOpenShell={() => openShellInstead(tab.key)} />
          ) : (
            <div className="empty">
              <p>AI tool <strong>{tab.label}</strong> runs in its own terminal in this workspace.</p>
              <button type="button" onClick={() => startTool(tab.key)}>Start {tab.label}</button>
            </div>
          )}
        </div>
      ))}
      <SessionList workspaceId={workspaceId} version={listVersion} openHere={openHere}
        onShow={(key) => select(key, true)}
        onReattach={(s) => openTab(reattachTab(s.id, s.command, tools))}
        onClosed={() => setListVersion((v) => v + 1)} />
    </div>
  );
}

/** The caller's sessions in this workspace, including detached ones from earlier visits. */
function SessionList({ workspaceId, version, openHere, onShow, onReattach, onClosed }: {
  workspaceId: string;
  version: number;
  openHere: Map<string, string>;
  onShow(tabKey: string): void;
  onReattach(session: TerminalSession): void;
  onClosed(): void;
}) {
  const { api } = useApp();
  const [list, reload] = useLoad(
    (signal) => api.get<ListResponse<TerminalSession>>(sessionsPath(workspaceId), signal), [workspaceId, version]);
  const [closing, setClosing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Detached sessions end on the agent after a while: keep the list roughly current.
  useEffect(() => {
    const timer = setInterval(reload, 30_000);
    return () => clearInterval(timer);
  }, [reload]);

  const close = async (session: TerminalSession) => {
    setClosing(session.id);
    setError(null);
    try {
      await api.delete(sessionsPath(workspaceId, session.id));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) setError((e as Error).message);
    } finally {
      setClosing(null);
      onClosed();
    }
  };

  // A closed session lingers as closing/done for a moment while its process ends: not listed.
  const items = list.state === 'loaded' ? list.value.items.filter((s) => s.state !== 'done' && s.state !== 'closing') : [];
  return (
    <details className="terminal-sessions">
      <summary>Your sessions in this workspace{list.state === 'loaded' ? ` (${items.length})` : ''}</summary>
      {list.state === 'failed' && <ErrorMessage message={list.message} onRetry={reload} />}
      {error && <ErrorMessage message={error} />}
      {list.state === 'loaded' && items.length === 0 && <p>No sessions.</p>}
      {items.length > 0 && (
        <ul className="session-list">
          {items.map((s) => {
            const tabKey = openHere.get(s.id);
            const what = s.command ? <code>{s.command}</code> : 'shell';
            return (
              <li key={s.id} data-session={s.id}>
                <span>
                  {what} · {tabKey ? 'open here' : s.attached ? 'open elsewhere' : s.state}
                  {' · started '}{new Date(s.createdAt).toLocaleTimeString()}
                </span>
                <span className="banner-actions">
                  {tabKey ? (
                    <button type="button" className="button-secondary" onClick={() => onShow(tabKey)}>Show</button>
                  ) : (
                    <button type="button" className="button-secondary" onClick={() => onReattach(s)}
                      aria-label={`Re-attach session ${s.id}`}>Re-attach</button>
                  )}
                  <button type="button" className="button-danger" disabled={closing === s.id || tabKey !== undefined}
                    onClick={() => void close(s)} aria-label={`Close session ${s.id}`}>Close</button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </details>
  );
}
