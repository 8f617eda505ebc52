import { describe, expect, it } from 'vitest';
import { SseParser, type ServerSentEvent } from './sse';

function collect() {
  const events: ServerSentEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
    onRetry: (r) => retries.push(r),
  });
  return { parser, events, comments, retries };
}

/** What the portal sends: Spring's ServerSentEvent with an event name and JSON data. */
const WORKSPACE_FRAME = 'event:workspace\ndata:{"id":"ws-1","status":"RUNNING"}\n\n';

describe('SseParser', () => {
  it('parses a named event', () => {
    const { parser, events } = collect();
    parser.push(WORKSPACE_FRAME);
    expect(events).toEqual([{ event: 'workspace', data: '{"id":"ws-1","status":"RUNNING"}', lastEventId: '' }]);
  });

  it('gives the same events whatever the chunk boundaries', () => {
    const stream = `:heartbeat\n\n${WORKSPACE_FRAME}id: 7\nevent: workspace\r\ndata: {"id":"ws-2"}\r\n\r\n`;
    const whole = collect();
    whole.parser.push(stream);
    for (let size = 1; size <= 7; size++) {
      const split = collect();
      for (let i = 0; i < stream.length; i += size) {
        split.parser.push(stream.slice(i, i + size));
      }
      expect(split.events).toEqual(whole.events);
      expect(split.comments).toEqual(['heartbeat']);
    }
    expect(whole.events).toHaveLength(2);
    expect(whole.events[1]).toEqual({ event: 'workspace', data: '{"id":"ws-2"}', lastEventId: '7' });
  });

  it('treats a CR at the end of one chunk and an LF at the start of the next as one line ending', () => {
    const { parser, events } = collect();
    parser.push('data: a\r');
    parser.push('\ndata: b\r');
    parser.push('\n\r');
    parser.push('\n');
    // One event: "data: a", "data: b", then the blank line. A second blank line would dispatch nothing.
    expect(events).toEqual([{ event: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('joins multi-line data with line feeds', () => {
    const { parser, events } = collect();
    parser.push('data: first\ndata:second\ndata\ndata:  indented\n\n');
    expect(events[0].data).toBe('first\nsecond\n\n indented');
  });

  it('reports comments and heartbeats without dispatching events', () => {
    const { parser, events, comments } = collect();
    parser.push(':heartbeat\n\n: keep-alive\n\n');
    expect(events).toEqual([]);
    expect(comments).toEqual(['heartbeat', 'keep-alive']);
  });

  it('honours retry, ignores unknown fields and a bad retry', () => {
    const { parser, events, retries } = collect();
    parser.push('retry: 2500\nretry: soon\nfoo: bar\nevent: x\ndata: y\n\n');
    expect(retries).toEqual([2500]);
    expect(events).toEqual([{ event: 'x', data: 'y', lastEventId: '' }]);
  });

  it('resets the event type after each event and drops an unfinished one at the end', () => {
    const { parser, events } = collect();
    parser.push('event: workspace\ndata: 1\n\ndata: 2\n\nevent: workspace\ndata: 3');
    parser.end();
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['workspace', '1'],
      ['message', '2'],
    ]);
  });

  it('strips a byte order mark at the start of the stream only', () => {
    const { parser, events } = collect();
    parser.push('\uFEFFdata: a\n\n');
    expect(events[0].data).toBe('a');
  });
});
