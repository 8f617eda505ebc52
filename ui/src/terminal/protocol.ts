/**
 * The terminal WebSocket's control messages (API.md): binary frames carry raw terminal bytes both
 * ways; text frames carry JSON. The ticket goes in the first message, never in the URL, so it does
 * not end up in access logs.
 */

export type ServerControl =
  | { type: 'ready'; session: string }
  | { type: 'exit'; code: number | null; reason: string | null }
  | { type: 'unknown'; raw: string };

export interface AuthOptions {
  /** Re-attach to this session; the server replays its buffered output. */
  session?: string | null;
  /** The NAME of one of the blueprint's AI tools (the server looks its command up), never a command line. */
  command?: string | null;
  cols?: number;
  rows?: number;
}

export function authMessage(ticket: string, options: AuthOptions = {}): string {
  const message: Record<string, unknown> = { type: 'auth', ticket };
  // A re-attach resumes an existing process: a command would be ignored, so it is not sent.
  if (options.session) message.session = options.session;
  else if (options.command) message.command = options.command;
  if (validSize(options.cols) && validSize(options.rows)) {
    message.cols = options.cols;
    message.rows = options.rows;
  }
  return JSON.stringify(message);
}

export function resizeMessage(cols: number, rows: number): string {
  return JSON.stringify({ type: 'resize', cols, rows });
}

/** The server ignores sizes outside 1..10000; the client does not send them. */
export function validSize(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 10_000;
}

export function parseServerControl(text: string): ServerControl {
  try {
    const message = JSON.parse(text) as Record<string, unknown>;
    if (message.type === 'ready' && typeof message.session === 'string') {
      return { type: 'ready', session: message.session };
    }
    if (message.type === 'exit') {
      return {
        type: 'exit',
        code: typeof message.code === 'number' ? message.code : null,
        reason: typeof message.reason === 'string' ? message.reason : null,
      };
    }
  } catch {
    // not JSON: reported as unknown below
  }
  return { type: 'unknown', raw: text };
}

export function terminalSocketUrl(location: { protocol: string; host: string }, workspaceId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/workspaces/${encodeURIComponent(workspaceId)}/terminal`;
}

export function ticketPath(workspaceId: string): string {
  return `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/terminal-tickets`;
}

export function sessionsPath(workspaceId: string, session?: string): string {
  const base = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}/terminal-sessions`;
  return session ? `${base}/${encodeURIComponent(session)}` : base;
}

/** `GET …/terminal-sessions` items: the caller's sessions in the workspace, on its agent. */
export interface TerminalSession {
  id: string;
  workspaceId: string;
  /** The tool's command line, or empty for a login shell. */
  command: string;
  state: 'starting' | 'ready' | 'detached' | 'closing' | 'done' | 'unspecified';
  attached: boolean;
  cols: number;
  rows: number;
  createdAt: string;
  detachedAt: string | null;
}

/**
 * What an exit means to a person. The server's reasons are terse ("exited with status 0", "ticket
 * refused", …); the banner says what happened and what can be done about it.
 */
export interface ExitDescription {
  message: string;
  /** The session may still live on the agent: offer to re-attach as well as a new shell. */
  reattachable: boolean;
}

export function describeExit(code: number | null, reason: string | null): ExitDescription {
  const r = (reason ?? '').trim();
  if (code === 0 || /^exited with status 0$/.test(r)) {
    return { message: 'The shell ended normally (exit status 0).', reattachable: false };
  }
  const status = /^exited with status (-?\d+)$/.exec(r);
  if (code !== null || status) {
    return { message: `The program ended with exit status ${code ?? status?.[1]}.`, reattachable: false };
  }
  switch (r) {
    case 'workspace stopped':
      return { message: 'The workspace was stopped, which ended this terminal. Start the workspace again to open a new one.', reattachable: false };
    case 'ticket refused':
      return { message: 'The portal refused the terminal\'s one-time pass (it expired or was already used). Opening the terminal again gets a new one.', reattachable: false };
    case 'agent disconnected':
      return { message: 'The connection between the portal and the workspace\'s cluster dropped. The session may still be running: try re-attaching.', reattachable: true };
    case 'closed by the user':
      return { message: 'This terminal session was closed.', reattachable: false };
    case 'no such terminal session':
      return { message: 'That terminal session no longer exists (it ended, or was left detached too long).', reattachable: false };
    case 'the session was attached from another client':
      return { message: 'This session was opened in another tab or window, so it left this one.', reattachable: true };
    case 'agent shutting down':
      return { message: 'The workspace\'s agent is shutting down, which ended this terminal.', reattachable: false };
    case '':
    case 'terminal ended':
      return { message: 'The terminal ended.', reattachable: false };
    default:
      if (/^no client re-attached within/.test(r)) {
        return { message: `The session ended because nobody re-attached in time (${r}).`, reattachable: false };
      }
      return { message: `The terminal ended: ${r}.`, reattachable: false };
  }
}
