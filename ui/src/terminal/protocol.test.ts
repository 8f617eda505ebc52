import { describe, expect, it } from 'vitest';
import { authMessage, parseServerControl, resizeMessage, terminalSocketUrl } from './protocol';

describe('terminal protocol', () => {
  it('writes the auth and resize messages', () => {
    expect(JSON.parse(authMessage('t1'))).toEqual({ type: 'auth', ticket: 't1' });
    expect(JSON.parse(authMessage('t1', 's9'))).toEqual({ type: 'auth', ticket: 't1', session: 's9' });
    expect(JSON.parse(resizeMessage(120, 40))).toEqual({ type: 'resize', cols: 120, rows: 40 });
  });

  it('reads ready and exit, and tolerates anything else', () => {
    expect(parseServerControl('{"type":"ready","session":"abc"}')).toEqual({ type: 'ready', session: 'abc' });
    expect(parseServerControl('{"type":"exit","code":0,"reason":"shell exited"}'))
      .toEqual({ type: 'exit', code: 0, reason: 'shell exited' });
    expect(parseServerControl('{"type":"exit"}')).toEqual({ type: 'exit', code: null, reason: null });
    expect(parseServerControl('nope')).toEqual({ type: 'unknown', raw: 'nope' });
  });

  it('uses wss behind https and keeps the ticket out of the URL', () => {
    expect(terminalSocketUrl({ protocol: 'https:', host: 'rde.example.com' }, 'ws-1'))
      .toBe('wss://rde.example.com/api/v1/workspaces/ws-1/terminal');
    expect(terminalSocketUrl({ protocol: 'http:', host: 'localhost:8080' }, 'ws-1'))
      .toBe('ws://localhost:8080/api/v1/workspaces/ws-1/terminal');
  });
});
