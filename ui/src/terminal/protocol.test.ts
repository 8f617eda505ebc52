import { describe, expect, it } from 'vitest';
import {
  authMessage, describeExit, parseServerControl, resizeMessage, sessionsPath, terminalSocketUrl, ticketPath, validSize,
} from './protocol';

describe('terminal protocol', () => {
  it('writes the auth and resize messages', () => {
    expect(JSON.parse(authMessage('t1'))).toEqual({ type: 'auth', ticket: 't1' });
    expect(JSON.parse(authMessage('t1', { session: 's9' }))).toEqual({ type: 'auth', ticket: 't1', session: 's9' });
    expect(JSON.parse(resizeMessage(120, 40))).toEqual({ type: 'resize', cols: 120, rows: 40 });
  });

  it('sends the size with auth, and a tool by name unless re-attaching', () => {
    expect(JSON.parse(authMessage('t1', { cols: 80, rows: 24 }))).toEqual({ type: 'auth', ticket: 't1', cols: 80, rows: 24 });
    expect(JSON.parse(authMessage('t1', { command: 'claude', cols: 100, rows: 30 })))
      .toEqual({ type: 'auth', ticket: 't1', command: 'claude', cols: 100, rows: 30 });
    // The session's process already runs: a command would be meaningless.
    expect(JSON.parse(authMessage('t1', { command: 'claude', session: 'ts-1' })))
      .toEqual({ type: 'auth', ticket: 't1', session: 'ts-1' });
    // A hidden terminal measures 0×0: no size rather than a nonsense one.
    expect(JSON.parse(authMessage('t1', { cols: 0, rows: 24 }))).toEqual({ type: 'auth', ticket: 't1' });
  });

  it('accepts only sizes the server accepts', () => {
    expect(validSize(1)).toBe(true);
    expect(validSize(10_000)).toBe(true);
    expect(validSize(0)).toBe(false);
    expect(validSize(10_001)).toBe(false);
    expect(validSize(2.5)).toBe(false);
    expect(validSize(undefined)).toBe(false);
  });

  it('reads ready and exit, and tolerates anything else', () => {
    expect(parseServerControl('{"type":"ready","session":"abc"}')).toEqual({ type: 'ready', session: 'abc' });
    expect(parseServerControl('{"type":"exit","code":0,"reason":"shell exited"}'))
      .toEqual({ type: 'exit', code: 0, reason: 'shell exited' });
    expect(parseServerControl('{"type":"exit","code":null,"reason":"workspace stopped"}'))
      .toEqual({ type: 'exit', code: null, reason: 'workspace stopped' });
    expect(parseServerControl('{"type":"exit"}')).toEqual({ type: 'exit', code: null, reason: null });
    expect(parseServerControl('nope')).toEqual({ type: 'unknown', raw: 'nope' });
  });

  it('uses wss behind https and keeps the ticket out of the URL', () => {
    expect(terminalSocketUrl({ protocol: 'https:', host: 'rde.example.com' }, 'ws-1'))
      .toBe('wss://rde.example.com/api/v1/workspaces/ws-1/terminal');
    expect(terminalSocketUrl({ protocol: 'http:', host: 'localhost:8080' }, 'ws-1'))
      .toBe('ws://localhost:8080/api/v1/workspaces/ws-1/terminal');
  });

  it('builds the ticket and session paths', () => {
    expect(ticketPath('ws 1')).toBe('/api/v1/workspaces/ws%201/terminal-tickets');
    expect(sessionsPath('ws-1')).toBe('/api/v1/workspaces/ws-1/terminal-sessions');
    expect(sessionsPath('ws-1', 'ts-a/b')).toBe('/api/v1/workspaces/ws-1/terminal-sessions/ts-a%2Fb');
  });
});

describe('exit wording', () => {
  it('says what happened in words, for each reason the server gives', () => {
    expect(describeExit(0, 'exited with status 0').message).toMatch(/ended normally/);
    expect(describeExit(2, 'exited with status 2').message).toMatch(/exit status 2/);
    expect(describeExit(null, 'workspace stopped').message).toMatch(/workspace was stopped/);
    expect(describeExit(null, 'ticket refused').message).toMatch(/refused/);
    expect(describeExit(null, 'closed by the user').message).toMatch(/closed/);
    expect(describeExit(null, 'no such terminal session').message).toMatch(/no longer exists/);
    expect(describeExit(null, null).message).toBe('The terminal ended.');
    expect(describeExit(null, "this workspace has no tool named 'x'").message).toContain("no tool named 'x'");
  });

  it('offers re-attaching only when the session may still live', () => {
    expect(describeExit(null, 'agent disconnected').reattachable).toBe(true);
    expect(describeExit(null, 'the session was attached from another client').reattachable).toBe(true);
    expect(describeExit(0, 'exited with status 0').reattachable).toBe(false);
    expect(describeExit(null, 'workspace stopped').reattachable).toBe(false);
  });
});
