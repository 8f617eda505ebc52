import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { TerminalTicket } from '../api/types';
import { TerminalConnection, type ConnectionStatus, type SocketLike } from './connection';
import { describeExit, terminalSocketUrl, ticketPath } from './protocol';

/** Resizes come in bursts (dragging a window edge); one fit per pause is enough. */
const FIT_DEBOUNCE_MS = 120;

export interface TabSpec {
  key: string;
  /** What the tab says, e.g. "Shell 2" or "claude". */
  label: string;
  /** An AI tool's NAME, or null for a shell. */
  command: string | null;
  /** Re-attach to this session instead of starting a process. */
  session: string | null;
}

interface Props {
  api: ApiClient;
  workspaceId: string;
  workspaceName: string;
  tab: TabSpec;
  active: boolean;
  onStatus(key: string, status: ConnectionStatus): void;
  /** "Open a new shell" after this tab's terminal ended or failed. */
  onOpenShell(): void;
}

/** One terminal tab: an xterm wired to a TerminalConnection, with its status and end-of-session banner. */
export function TerminalView({ api, workspaceId, workspaceName, tab, active, onStatus, onOpenShell }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const terminal = useRef<Terminal | null>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const connection = useRef<TerminalConnection | null>(null);
  const [status, setStatus] = useState<ConnectionStatus>({ kind: 'connecting' });
  // Latest callbacks without re-creating the terminal when the parent re-renders.
  const report = useRef(onStatus);
  report.current = onStatus;
  const name = `Terminal ${tab.label} in ${workspaceName}`;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const term = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      fontSize: 14,
      scrollback: 5000,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    // xterm's input is a hidden textarea: give it the tab's name so assistive technology announces it.
    term.textarea?.setAttribute('aria-label', `Terminal input: ${tab.label}`);
    terminal.current = term;
    fitRef.current = fit;
    safeFit(fit, element);

    const conn = new TerminalConnection({
      issueTicket: async () => (await api.post<TerminalTicket>(ticketPath(workspaceId))).ticket,
      // The browser's WebSocket is a SocketLike; its handler signatures are only wider (this, Event).
      openSocket: () => new WebSocket(terminalSocketUrl(window.location, workspaceId)) as unknown as SocketLike,
      command: tab.command,
      session: tab.session,
      size: () => ({ cols: term.cols, rows: term.rows }),
      onStatus: (next) => {
        setStatus(next);
        report.current(tab.key, next);
        if (next.kind === 'ready') safeFit(fit, element);
      },
      onOutput: (bytes, replacesScreen) => {
        // A re-attach replays the session's recent output: the screen is reset in the same task as
        // the replay is written, so the old output stays until the replay repaints it (no blank
        // flash, and no duplicated history).
        if (replacesScreen) term.reset();
        term.write(bytes);
      },
    });
    connection.current = conn;
    const encoder = new TextEncoder();
    const input = term.onData((data) => conn.send(encoder.encode(data)));
    // Non-UTF-8 bytes some mouse reports use: one byte per char code.
    const binaryInput = term.onBinary((data) => conn.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
    // Fires only when cols/rows really change; the server resizes the process's pty.
    const resized = term.onResize(({ cols, rows }) => conn.resize(cols, rows));
    let pending: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(pending);
      pending = setTimeout(() => safeFit(fit, element), FIT_DEBOUNCE_MS);
    });
    observer.observe(element);
    conn.start();
    return () => {
      clearTimeout(pending);
      observer.disconnect();
      input.dispose();
      binaryInput.dispose();
      resized.dispose();
      conn.dispose();
      connection.current = null;
      term.dispose();
      terminal.current = null;
    };
    // A tab's connection is made once; a new tab is a new component.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, workspaceId, tab.key]);

  // A hidden tab has no size: fit and focus when it is shown.
  useEffect(() => {
    if (!active) return;
    const element = container.current;
    if (fitRef.current && element) safeFit(fitRef.current, element);
    terminal.current?.focus();
  }, [active]);

  // Again with the same session when there is one (the agent replays it), else a fresh process.
  const restart = () => {
    connection.current?.start();
    terminal.current?.focus();
  };

  return (
    <div className="terminal-view">
      <TerminalStatusLine status={status} />
      <div className="terminal" ref={container} role="group" aria-label={name} data-terminal={tab.key} />
      {status.kind === 'exited' && (
        <EndBanner status={status} onOpenShell={onOpenShell} onReattach={restart} />
      )}
      {status.kind === 'failed' && (
        <div className="alert alert-error terminal-banner" role="alert">
          <span>{status.message}</span>
          <span className="banner-actions">
            <button type="button" className="button-secondary" onClick={restart}>Try again</button>
            <button type="button" onClick={onOpenShell}>Open a new shell</button>
          </span>
        </div>
      )}
    </div>
  );
}

function safeFit(fit: FitAddon, element: HTMLElement) {
  // A hidden (display: none) tab measures 0×0; fitting it would shrink the pty to nothing.
  if (element.offsetWidth > 0 && element.offsetHeight > 0) fit.fit();
}

function TerminalStatusLine({ status }: { status: ConnectionStatus }) {
  let text = '';
  if (status.kind === 'connecting') text = 'Connecting…';
  else if (status.kind === 'ready') text = 'Connected';
  else if (status.kind === 'reconnecting') text = `Connection lost, reconnecting… (attempt ${status.attempt})`;
  else if (status.kind === 'exited') text = 'Ended';
  else text = 'Not connected';
  return (
    <div className={`terminal-status terminal-status-${status.kind}`} role="status" aria-live="polite" data-state={status.kind}>
      <span className="live-dot" aria-hidden="true" />
      {text}
    </div>
  );
}

function EndBanner({ status, onOpenShell, onReattach }: {
  status: Extract<ConnectionStatus, { kind: 'exited' }>;
  onOpenShell(): void;
  onReattach(): void;
}) {
  const { message, reattachable } = describeExit(status.code, status.reason);
  return (
    <div className="alert alert-info terminal-banner" role="status" data-exit-reason={status.reason ?? ''}>
      <span>{message}</span>
      <span className="banner-actions">
        {reattachable && status.session && (
          <button type="button" className="button-secondary" onClick={onReattach}>
            Re-attach
          </button>
        )}
        <button type="button" onClick={onOpenShell}>Open a new shell</button>
      </span>
    </div>
  );
}
