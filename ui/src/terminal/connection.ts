/**
 * One terminal tab's connection, independent of React and xterm so its decisions can be tested:
 *
 *   ticket (POST) → socket → auth → ready(session) → bytes both ways → exit
 *
 * A socket that closes WITHOUT an `exit` message was dropped (network, proxy, portal restart): the
 * session lives on, detached, on the workspace's agent, so the tab reconnects with back-off, a new
 * ticket each time (tickets are single-use), and `session` set, and the agent replays its buffer.
 * An `exit` message is final: the tab shows why and does not reconnect.
 */
import { backoffDelay } from '../api/eventStream';
import { ApiError } from '../api/problem';
import { authMessage, parseServerControl, resizeMessage, validSize } from './protocol';

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'ready'; session: string }
  | { kind: 'reconnecting'; attempt: number; delayMs: number }
  | { kind: 'exited'; code: number | null; reason: string | null; session: string | null }
  | { kind: 'failed'; message: string };

/** The part of a browser WebSocket the connection uses (a fake one in tests). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string | ArrayBufferView | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const OPEN = 1;

/**
 * The portal answers the auth message with `ready` or `exit`. Should it say nothing for this long,
 * the auth message goes once more on the same socket. The portal acts on the first auth message it
 * receives and ignores any later one, and the ticket stays single-use, so this matters only when
 * the first never reached it: seen, rarely, on a socket opened at once after a workspace started,
 * where the portal then waited for a ticket until its auth timeout and the tab had to reconnect.
 */
export const AUTH_RESEND_MS = 3_000;

export interface ConnectionOptions {
  /** Requests a fresh one-time ticket. */
  issueTicket(): Promise<string>;
  openSocket(): SocketLike;
  /** Shell when absent; an AI tool's NAME otherwise. */
  command?: string | null;
  /** Re-attach to an existing session from the start (from the sessions list). */
  session?: string | null;
  /** The terminal's size now, sent with auth so the process starts at the right size. */
  size(): { cols: number; rows: number };
  onStatus(status: ConnectionStatus): void;
  /** `replacesScreen`: the first bytes of a re-attach replay, which repaint what the screen showed. */
  onOutput(bytes: Uint8Array, replacesScreen: boolean): void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Consecutive failed attempts before giving up (the user can still retry). */
  maxAttempts?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** How a connection attempt ended, and what follows from it. */
export type CloseOutcome =
  | { next: 'exited' }
  | { next: 'stop' }
  | { next: 'reconnect'; delayMs: number }
  | { next: 'give-up' };

/**
 * The reconnect decision. `exitReceived`: the server said the terminal ended (final).
 * `disposed`: the user closed the tab or left the page. Otherwise a drop: reconnect while under
 * `maxAttempts` consecutive failures.
 */
export function afterClose(state: { exitReceived: boolean; disposed: boolean; attempt: number },
  policy: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number; random: () => number }): CloseOutcome {
  if (state.disposed) return { next: 'stop' };
  if (state.exitReceived) return { next: 'exited' };
  if (state.attempt >= policy.maxAttempts) return { next: 'give-up' };
  return { next: 'reconnect', delayMs: backoffDelay(state.attempt, policy.baseDelayMs, policy.maxDelayMs, policy.random) };
}

/**
 * Whether a failed ticket request is worth repeating. 409 (workspace no longer RUNNING), 404 (gone
 * or not yours), 403, 401 (the session renews on its own): another ticket will not come. Network
 * errors, 5xx and 429 may pass.
 */
export function ticketFailureIsFinal(error: unknown): boolean {
  return error instanceof ApiError && [401, 403, 404, 409].includes(error.status);
}

export class TerminalConnection {
  private socket: SocketLike | null = null;
  private session: string | null;
  private attempt = 0;
  private disposed = false;
  private timer: unknown = null;
  private readonly policy;
  private readonly setTimer;
  private readonly clearTimer;

  constructor(private readonly options: ConnectionOptions) {
    this.session = options.session ?? null;
    this.policy = {
      baseDelayMs: options.baseDelayMs ?? 1_000,
      maxDelayMs: options.maxDelayMs ?? 15_000,
      maxAttempts: options.maxAttempts ?? 8,
      random: options.random ?? Math.random,
    };
    this.setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  /** The session id the server gave (kept across drops), or null before the first `ready`. */
  get sessionId(): string | null {
    return this.session;
  }

  start(): void {
    this.attempt = 0;
    void this.connect();
  }

  /** Keystrokes (and pasted text), as one binary frame. Dropped while not attached. */
  send(bytes: Uint8Array): void {
    if (this.socket?.readyState === OPEN) this.socket.send(bytes);
  }

  resize(cols: number, rows: number): void {
    if (this.socket?.readyState === OPEN && validSize(cols) && validSize(rows)) {
      this.socket.send(resizeMessage(cols, rows));
    }
  }

  /**
   * Stops for good: closes the socket (the session stays on the agent, detached, and can be
   * re-attached from the sessions list) and cancels any pending reconnect.
   */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'tab closed');
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    this.options.onStatus(this.attempt === 0 ? { kind: 'connecting' } : { kind: 'reconnecting', attempt: this.attempt, delayMs: 0 });
    let ticket: string;
    try {
      ticket = await this.options.issueTicket();
    } catch (error) {
      if (this.disposed) return;
      if (ticketFailureIsFinal(error)) {
        this.options.onStatus({ kind: 'failed', message: (error as Error).message });
        return;
      }
      this.closed(false);
      return;
    }
    if (this.disposed) return;
    const socket = this.options.openSocket();
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    let exitReceived = false;
    // A re-attach replays the session's buffer: its first bytes repaint the screen (see onOutput).
    let replayPending = false;
    let authTimer: unknown = null;
    const answered = () => {
      if (authTimer !== null) this.clearTimer(authTimer);
      authTimer = null;
    };
    socket.onopen = () => {
      const { cols, rows } = this.options.size();
      const auth = authMessage(ticket, { session: this.session, command: this.options.command, cols, rows });
      socket.send(auth);
      authTimer = this.setTimer(() => {
        authTimer = null;
        if (this.socket === socket && socket.readyState === OPEN) socket.send(auth);
      }, AUTH_RESEND_MS);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      answered();
      if (typeof event.data !== 'string') {
        const bytes = event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : (event.data as Uint8Array);
        this.options.onOutput(bytes, replayPending);
        replayPending = false;
        return;
      }
      const control = parseServerControl(event.data);
      if (control.type === 'ready') {
        replayPending = this.session === control.session;
        this.session = control.session;
        this.attempt = 0;
        this.options.onStatus({ kind: 'ready', session: control.session });
        // The size may have changed while disconnected.
        const { cols, rows } = this.options.size();
        this.resize(cols, rows);
      } else if (control.type === 'exit') {
        exitReceived = true;
        this.options.onStatus({ kind: 'exited', code: control.code, reason: control.reason, session: this.session });
      }
    };
    socket.onclose = () => {
      answered();
      if (this.socket !== socket) return;
      this.socket = null;
      this.closed(exitReceived);
    };
  }

  private closed(exitReceived: boolean): void {
    const outcome = afterClose({ exitReceived, disposed: this.disposed, attempt: this.attempt }, this.policy);
    switch (outcome.next) {
      case 'reconnect':
        this.attempt++;
        this.options.onStatus({ kind: 'reconnecting', attempt: this.attempt, delayMs: outcome.delayMs });
        this.timer = this.setTimer(() => {
          this.timer = null;
          void this.connect();
        }, outcome.delayMs);
        break;
      case 'give-up':
        this.options.onStatus({
          kind: 'failed',
          message: this.session
            ? 'The connection to the terminal was lost and could not be restored.'
            : 'Could not connect to the terminal.',
        });
        break;
      default:
        // exited: already reported; stop: the user is gone.
        break;
    }
  }
}
