/**
 * The terminal WebSocket's control messages (API.md): binary frames carry raw terminal bytes both
 * ways; text frames carry JSON. The ticket goes in the first message, never in the URL, so it does
 * not end up in access logs.
 */

export type ServerControl =
  | { type: 'ready'; session: string }
  | { type: 'exit'; code: number | null; reason: string | null }
  | { type: 'unknown'; raw: string };

export function authMessage(ticket: string, session?: string | null): string {
  return JSON.stringify(session ? { type: 'auth', ticket, session } : { type: 'auth', ticket });
}

export function resizeMessage(cols: number, rows: number): string {
  return JSON.stringify({ type: 'resize', cols, rows });
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
