/**
 * A parser for text/event-stream (WHATWG HTML, "server-sent events"), fed decoded text in chunks
 * of any size: a line, a field or a line ending may be split across chunks.
 */

export interface ServerSentEvent {
  /** `message` when the stream names none. */
  event: string;
  data: string;
  lastEventId: string;
}

export interface SseHandlers {
  onEvent(event: ServerSentEvent): void;
  /** Comment lines (`: heartbeat`): proof the connection is alive. */
  onComment?(text: string): void;
  /** A `retry:` field: the server's wish for the reconnection delay, in milliseconds. */
  onRetry?(millis: number): void;
}

export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: an LF opening the next one belongs to that line ending. */
  private skipLeadingLf = false;
  private started = false;
  private eventType = '';
  private data: string[] = [];
  private lastEventId = '';

  constructor(private readonly handlers: SseHandlers) {}

  push(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    if (this.skipLeadingLf && text.startsWith('\n')) {
      text = text.slice(1);
    }
    this.skipLeadingLf = false;
    this.buffer += text;

    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === this.buffer.length) {
          this.skipLeadingLf = true;
        } else if (this.buffer[i + 1] === '\n') {
          i++;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an event not closed by a blank line is dropped, as the standard says. */
  end(): void {
    this.buffer = '';
    this.eventType = '';
    this.data = [];
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.handlers.onRetry?.(Number(value));
        }
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  private dispatch(): void {
    const type = this.eventType;
    const data = this.data;
    this.eventType = '';
    this.data = [];
    if (data.length === 0) {
      return;
    }
    this.handlers.onEvent({ event: type || 'message', data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
