import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle, useLoad } from '../app/hooks';
import { Link } from '../app/router';
import type { TerminalTicket, Workspace } from '../api/types';
import { ErrorMessage, PageHeader, Spinner, StatusBadge } from '../components/common';
import { ticketPath } from './capability';
import { authMessage, parseServerControl, resizeMessage, terminalSocketUrl } from './protocol';

type Phase =
  | { kind: 'connecting' }
  | { kind: 'ready' }
  | { kind: 'closed'; message: string; canReattach: boolean }
  | { kind: 'failed'; message: string };

/** A shell in a RUNNING workspace, relayed by the portal through the agent's tunnel. */
export default function TerminalPage({ workspaceId }: { workspaceId: string }) {
  const { api } = useApp();
  const [workspace] = useLoad(
    (signal) => api.get<Workspace>(`/api/v1/workspaces/${encodeURIComponent(workspaceId)}`, signal), [workspaceId]);
  const name = workspace.state === 'loaded' ? workspace.value.name : workspaceId;
  useDocumentTitle(`Terminal · ${name}`);
  const container = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const socket = useRef<WebSocket | null>(null);
  /** The server-side session, kept to re-attach (and replay its buffer) after a dropped connection. */
  const session = useRef<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  // A renewal would close the terminal: hold it off while one is open.
  useBusyWhile(phase.kind === 'ready' || phase.kind === 'connecting', 'terminal');

  const connect = useCallback(async () => {
    const term = terminal.current;
    if (!term) return;
    setPhase({ kind: 'connecting' });
    let ticket: TerminalTicket;
    try {
      ticket = await api.post<TerminalTicket>(ticketPath(workspaceId));
    } catch (e) {
      setPhase({ kind: 'failed', message: (e as Error).message });
      return;
    }
    const ws = new WebSocket(terminalSocketUrl(window.location, workspaceId));
    ws.binaryType = 'arraybuffer';
    socket.current = ws;
    let exited = false;
    const sendSize = () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(resizeMessage(term.cols, term.rows));
    };
    ws.onopen = () => ws.send(authMessage(ticket.ticket, session.current));
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data !== 'string') {
        term.write(new Uint8Array(event.data));
        return;
      }
      const control = parseServerControl(event.data);
      if (control.type === 'ready') {
        session.current = control.session;
        setPhase({ kind: 'ready' });
        fit.current?.fit();
        sendSize();
        term.focus();
      } else if (control.type === 'exit') {
        exited = true;
        session.current = null;
        const code = control.code === null ? '' : ` with code ${control.code}`;
        setPhase({ kind: 'closed', message: `The shell ended${code}${control.reason ? `: ${control.reason}` : '.'}`, canReattach: false });
      }
    };
    ws.onclose = (event) => {
      if (socket.current !== ws || exited) return;
      setPhase({
        kind: 'closed',
        message: event.reason ? `The connection closed: ${event.reason}` : 'The connection to the terminal was lost.',
        canReattach: true,
      });
    };
  }, [api, workspaceId]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
    });
    const fitAddon = new FitAddon();
    term.loadAddon(fitAddon);
    term.open(element);
    fitAddon.fit();
    terminal.current = term;
    fit.current = fitAddon;
    const encoder = new TextEncoder();
    const send = (bytes: Uint8Array) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(bytes);
    };
    const input = term.onData((data) => send(encoder.encode(data)));
    const binaryInput = term.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    const resized = term.onResize(({ cols, rows }) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(resizeMessage(cols, rows));
    });
    const observer = new ResizeObserver(() => fitAddon.fit());
    observer.observe(element);
    void connect();
    return () => {
      observer.disconnect();
      input.dispose();
      binaryInput.dispose();
      resized.dispose();
      const ws = socket.current;
      socket.current = null;
      ws?.close(1000, 'closed by the user');
      term.dispose();
      terminal.current = null;
    };
  }, [connect]);

  return (
    <section className="terminal-page">
      <PageHeader title={`Terminal: ${name}`}>
        {workspace.state === 'loaded' && <StatusBadge status={workspace.value.status} />}
        <Link className="button button-secondary" href="/workspaces">Back to workspaces</Link>
      </PageHeader>
      {phase.kind === 'connecting' && <Spinner label="Connecting to the workspace…" />}
      {phase.kind === 'failed' && <ErrorMessage message={phase.message} onRetry={() => void connect()} />}
      {phase.kind === 'closed' && (
        <div className="alert alert-info" role="status">
          <span>{phase.message}</span>
          <button type="button" className="button-secondary" onClick={() => void connect()}>
            {phase.canReattach ? 'Reconnect' : 'Start a new shell'}
          </button>
        </div>
      )}
      <div className="terminal" ref={container} aria-label={`Terminal of ${name}`} />
    </section>
  );
}
