import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { afterClose, AUTH_RESEND_MS, TerminalConnection, ticketFailureIsFinal, type ConnectionStatus, type SocketLike } from './connection';

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: (string | Uint8Array)[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closedBy: string | null = null;
  send(data: string | ArrayBufferView | ArrayBuffer) {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  }
  close(_code?: number, reason?: string) {
    this.closedBy = reason ?? '';
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  text(json: unknown) {
    this.onmessage?.({ data: JSON.stringify(json) });
  }
  bytes(text: string) {
    this.onmessage?.({ data: new TextEncoder().encode(text).buffer });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
  auth() {
    return JSON.parse(this.sent[0] as string) as Record<string, unknown>;
  }
}

const policy = { baseDelayMs: 1000, maxDelayMs: 15_000, maxAttempts: 3, random: () => 1 };

function harness(options: { command?: string; session?: string; tickets?: () => Promise<string> } = {}) {
  const sockets: FakeSocket[] = [];
  const statuses: ConnectionStatus[] = [];
  const output: { text: string; replaces: boolean }[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let issued = 0;
  const conn = new TerminalConnection({
    issueTicket: options.tickets ?? (async () => `ticket-${++issued}`),
    openSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    command: options.command,
    session: options.session,
    size: () => ({ cols: 80, rows: 24 }),
    onStatus: (s) => statuses.push(s),
    onOutput: (bytes, replaces) => output.push({ text: new TextDecoder().decode(bytes), replaces }),
    ...policy,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => timers.splice(0),
  });
  return { conn, sockets, statuses, output, timers };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('reconnect decision', () => {
  it('treats an exit message as final and a bare close as a drop', () => {
    expect(afterClose({ exitReceived: true, disposed: false, attempt: 0 }, policy)).toEqual({ next: 'exited' });
    expect(afterClose({ exitReceived: false, disposed: false, attempt: 0 }, policy)).toEqual({ next: 'reconnect', delayMs: 1000 });
    expect(afterClose({ exitReceived: false, disposed: true, attempt: 0 }, policy)).toEqual({ next: 'stop' });
    expect(afterClose({ exitReceived: true, disposed: true, attempt: 0 }, policy)).toEqual({ next: 'stop' });
  });

  it('backs off exponentially, capped, and gives up after the limit', () => {
    const delays = [0, 1, 2].map((attempt) =>
      afterClose({ exitReceived: false, disposed: false, attempt }, { ...policy, maxAttempts: 10 }));
    expect(delays).toEqual([
      { next: 'reconnect', delayMs: 1000 }, { next: 'reconnect', delayMs: 2000 }, { next: 'reconnect', delayMs: 4000 }]);
    expect(afterClose({ exitReceived: false, disposed: false, attempt: 9 }, { ...policy, maxAttempts: 10 }))
      .toEqual({ next: 'reconnect', delayMs: 15_000 });
    // Jitter: between half and all of the capped delay.
    expect(afterClose({ exitReceived: false, disposed: false, attempt: 0 }, { ...policy, random: () => 0 }))
      .toEqual({ next: 'reconnect', delayMs: 500 });
    expect(afterClose({ exitReceived: false, disposed: false, attempt: 3 }, policy)).toEqual({ next: 'give-up' });
  });

  it('stops asking for tickets when the portal will not issue one', () => {
    expect(ticketFailureIsFinal(new ApiError({ status: 409 }))).toBe(true);
    expect(ticketFailureIsFinal(new ApiError({ status: 404 }))).toBe(true);
    expect(ticketFailureIsFinal(new ApiError({ status: 503 }))).toBe(false);
    expect(ticketFailureIsFinal(new ApiError({ status: 0, code: 'network' }))).toBe(false);
  });
});

describe('TerminalConnection', () => {
  it('sends the auth message once more, same ticket, when the portal says nothing for a while', async () => {
    const { conn, sockets, statuses, timers } = harness();
    conn.start();
    await tick();
    const socket = sockets[0];
    socket.open();
    expect(timers.map((t) => t.ms)).toEqual([AUTH_RESEND_MS]);
    timers[0].fn();
    expect(socket.sent).toHaveLength(2);
    expect(socket.sent[1]).toEqual(socket.sent[0]);
    socket.text({ type: 'ready', session: 'ts-1' });
    expect(statuses.at(-1)).toEqual({ kind: 'ready', session: 'ts-1' });
    expect(sockets).toHaveLength(1);
  });

  it('does not send the auth message again once the portal has answered, nor after the socket closed', async () => {
    const { conn, sockets, timers } = harness();
    conn.start();
    await tick();
    const socket = sockets[0];
    socket.open();
    const resend = timers[0].fn;
    socket.text({ type: 'ready', session: 'ts-1' });
    expect(timers).toHaveLength(0);
    socket.readyState = 3;
    resend();
    const auths = socket.sent.filter((m) => typeof m === 'string' && JSON.parse(m).type === 'auth');
    expect(auths).toHaveLength(1);
  });

  it('authenticates with the ticket, the size and the tool name, then relays bytes', async () => {
    const { conn, sockets, statuses, output } = harness({ command: 'claude' });
    conn.start();
    await tick();
    const socket = sockets[0];
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open();
    expect(socket.auth()).toEqual({ type: 'auth', ticket: 'ticket-1', command: 'claude', cols: 80, rows: 24 });
    socket.text({ type: 'ready', session: 'ts-1' });
    expect(statuses.at(-1)).toEqual({ kind: 'ready', session: 'ts-1' });
    expect(conn.sessionId).toBe('ts-1');
    socket.bytes('hello');
    expect(output).toEqual([{ text: 'hello', replaces: false }]);
    conn.send(new TextEncoder().encode('ls\r'));
    expect(socket.sent.at(-1)).toBeInstanceOf(Uint8Array);
    conn.resize(100, 30);
    expect(JSON.parse(socket.sent.at(-1) as string)).toEqual({ type: 'resize', cols: 100, rows: 30 });
  });

  it('after a drop, reconnects with a new ticket and the session, and the replay repaints the screen', async () => {
    const { conn, sockets, statuses, output, timers } = harness();
    conn.start();
    await tick();
    sockets[0].open();
    sockets[0].text({ type: 'ready', session: 'ts-7' });
    sockets[0].bytes('before');
    sockets[0].drop();
    expect(statuses.at(-1)).toEqual({ kind: 'reconnecting', attempt: 1, delayMs: 1000 });
    expect(timers).toHaveLength(1);
    timers[0].fn();
    await tick();
    sockets[1].open();
    expect(sockets[1].auth()).toEqual({ type: 'auth', ticket: 'ticket-2', session: 'ts-7', cols: 80, rows: 24 });
    sockets[1].text({ type: 'ready', session: 'ts-7' });
    sockets[1].bytes('replayed');
    sockets[1].bytes('live');
    expect(output.map((o) => o.replaces)).toEqual([false, true, false]);
    expect(statuses.at(-1)).toEqual({ kind: 'ready', session: 'ts-7' });
  });

  it('does not reconnect after an exit message', async () => {
    const { conn, sockets, statuses, timers } = harness();
    conn.start();
    await tick();
    sockets[0].open();
    sockets[0].text({ type: 'ready', session: 'ts-2' });
    sockets[0].text({ type: 'exit', code: 0, reason: 'exited with status 0' });
    sockets[0].drop();
    expect(timers).toHaveLength(0);
    expect(statuses.at(-1)).toEqual({ kind: 'exited', code: 0, reason: 'exited with status 0', session: 'ts-2' });
  });

  it('gives up after repeated failures and can be started again', async () => {
    const { conn, sockets, statuses, timers } = harness();
    conn.start();
    for (let i = 0; i < 3; i++) {
      await tick();
      sockets[i].drop();
      timers.shift()?.fn();
    }
    await tick();
    sockets[3].drop();
    expect(statuses.at(-1)?.kind).toBe('failed');
    conn.start();
    await tick();
    expect(sockets).toHaveLength(5);
  });

  it('keeps retrying a failed ticket request unless the refusal is final', async () => {
    let calls = 0;
    const flaky = harness({ tickets: async () => { calls++; throw new ApiError({ status: 503 }); } });
    flaky.conn.start();
    await tick();
    expect(flaky.statuses.at(-1)?.kind).toBe('reconnecting');
    expect(calls).toBe(1);
    const refused = harness({ tickets: async () => { throw new ApiError({ status: 409, detail: 'not running' }); } });
    refused.conn.start();
    await tick();
    expect(refused.statuses.at(-1)?.kind).toBe('failed');
    expect(refused.timers).toHaveLength(0);
  });

  it('re-attaches from the start when given a session, and stops quietly when disposed', async () => {
    const { conn, sockets, timers } = harness({ session: 'ts-9', command: 'claude' });
    conn.start();
    await tick();
    sockets[0].open();
    expect(sockets[0].auth()).toEqual({ type: 'auth', ticket: 'ticket-1', session: 'ts-9', cols: 80, rows: 24 });
    conn.dispose();
    expect(sockets[0].closedBy).toBe('tab closed');
    sockets[0].drop();
    expect(timers).toHaveLength(0);
  });
});
