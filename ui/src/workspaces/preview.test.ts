import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { WORKSPACE_STATUSES } from '../api/types';
import {
  canPreview, describePreviewError, openBlankTab, openPreview, originPattern, parsePreviewPort, PreviewOrigins,
  previewUnavailableReason, returnToPreview, type PreviewTab,
} from './preview';

const ORIGIN = 'http://p8000--ws-1.preview.localhost:8080';
const TICKET = { url: `${ORIGIN}/__rde/preview/redeem?ticket=T1&next=%2F`, expiresAt: '2026-01-01T00:00:30Z', origin: ORIGIN };

/** A client over a fake fetch that records each call and answers with `answer`. */
function client(answer: () => Response) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const api = new ApiClient({ accessToken: 't', handleUnauthorized: () => false }, async (input, init) => {
    calls.push({ method: init?.method ?? 'GET', path: String(input), body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return answer();
  });
  return { api, calls };
}

const ok = () => new Response(JSON.stringify(TICKET), { status: 200, headers: { 'Content-Type': 'application/json' } });

function problem(status: number, code: string, detail = '') {
  return () => new Response(JSON.stringify({ status, code, detail }), {
    status, headers: { 'Content-Type': 'application/problem+json' },
  });
}

function fakeTab(closed = false) {
  return { opener: {} as unknown, closed, location: { replace: vi.fn() }, close: vi.fn() } satisfies PreviewTab;
}

describe('preview availability', () => {
  it('is offered for RUNNING workspaces only, with a reason otherwise', () => {
    expect(WORKSPACE_STATUSES.filter(canPreview)).toEqual(['RUNNING']);
    expect(previewUnavailableReason('RUNNING')).toBeNull();
    expect(previewUnavailableReason('STOPPED')).toBe('Start the workspace to preview its apps.');
    expect(previewUnavailableReason('PROVISIONING')).toBe('Available once the workspace is running.');
    expect(previewUnavailableReason('DELETING')).toBe('The workspace is being deleted.');
  });
});

describe('preview refusals in words', () => {
  it.each([
    ['validation-failed', 400, 'Port 9000 cannot be previewed: the workspace\'s blueprint does not declare it.'],
    ['state-conflict', 409, 'The preview of port 9000 needs the workspace running. Start it, then open the preview again.'],
    ['not-found', 404, 'This workspace does not exist any more, or it is not yours: only its owner can open its previews.'],
  ])('%s', (code, status, message) => {
    expect(describePreviewError(new ApiError({ status, code, detail: 'workspace ws-1 is STOPPED' }), 9000)).toBe(message);
  });

  it('falls back to the portal\'s general wording', () => {
    expect(describePreviewError(new ApiError({ status: 0, code: 'network' }), 8000))
      .toBe('The portal could not be reached. Check your connection and try again.');
    expect(describePreviewError(new Error('boom'), 8000)).toBe('The preview of port 8000 could not be opened: boom');
  });
});

describe('the ?preview= value', () => {
  it.each([
    ['8000', 8000], ['1', 1], ['65535', 65535],
    ['0', null], ['65536', null], ['08000', null], ['80a', null], ['', null], [' 80', null], ['-1', null], ['8e3', null],
    [null, null],
  ])('%j → %j', (raw, port) => {
    expect(parsePreviewPort(raw)).toBe(port);
  });
});

describe('preview origins', () => {
  it('learns the preview domain from one ticket and derives the other origins', () => {
    const origins = new PreviewOrigins();
    const listener = vi.fn();
    origins.subscribe(listener);
    expect(origins.originOf('ws-2', 3000)).toBeNull();
    origins.learn('ws-1', 8000, ORIGIN);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(origins.originOf('ws-1', 8000)).toBe(ORIGIN);
    expect(origins.originOf('ws-2', 3000)).toBe('http://p3000--ws-2.preview.localhost:8080');
  });

  it('keeps an origin of another shape for its own port only', () => {
    expect(originPattern('https://p443--ws-1.previews.example.com', 'ws-1', 443))
      .toEqual({ protocol: 'https:', domain: 'previews.example.com', port: '' });
    expect(originPattern('https://elsewhere.example.com', 'ws-1', 443)).toBeNull();
    expect(originPattern('not a url', 'ws-1', 443)).toBeNull();
    const origins = new PreviewOrigins();
    origins.learn('ws-1', 8000, 'https://elsewhere.example.com');
    expect(origins.originOf('ws-1', 8000)).toBe('https://elsewhere.example.com');
    expect(origins.originOf('ws-1', 3000)).toBeNull();
  });
});

describe('opening a preview', () => {
  it('asks for a ticket for the port and sends the tab opened by the click to it', async () => {
    const { api, calls } = client(ok);
    const tab = fakeTab();
    const outcome = await openPreview(api, 'ws-1', 8000, tab);
    expect(calls).toEqual([{ method: 'POST', path: '/api/v1/workspaces/ws-1/preview-tickets', body: { port: 8000 } }]);
    expect(tab.location.replace).toHaveBeenCalledWith(TICKET.url);
    expect(outcome).toEqual({ kind: 'opened', origin: ORIGIN });
  });

  it('closes the waiting tab and explains a refusal', async () => {
    const { api } = client(problem(409, 'state-conflict', 'workspace ws-1 is STOPPED'));
    const tab = fakeTab();
    const outcome = await openPreview(api, 'ws-1', 8000, tab);
    expect(tab.close).toHaveBeenCalled();
    expect(tab.location.replace).not.toHaveBeenCalled();
    expect(outcome).toEqual({ kind: 'failed', message: expect.stringContaining('needs the workspace running') });
  });

  it('offers the link when the browser blocked the tab, or it was closed meanwhile', async () => {
    const { api } = client(ok);
    expect(await openPreview(api, 'ws-1', 8000, null))
      .toEqual({ kind: 'blocked', url: TICKET.url, origin: ORIGIN, expiresAt: TICKET.expiresAt });
    const closed = fakeTab(true);
    expect((await openPreview(api, 'ws-1', 8000, closed)).kind).toBe('blocked');
    expect(closed.location.replace).not.toHaveBeenCalled();
  });

  it('opens the blank tab cut off from the portal page', () => {
    const tab = fakeTab();
    const open = vi.fn(() => tab);
    expect(openBlankTab(open)).toBe(tab);
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    expect(openBlankTab(() => null)).toBeNull();
  });
});

describe('coming back from an expired preview', () => {
  it('replaces the page with a fresh ticket', async () => {
    const { api, calls } = client(ok);
    const replace = vi.fn();
    expect(await returnToPreview(api, 'ws-1', '8000', replace)).toEqual({ kind: 'leaving' });
    expect(calls.map((c) => [c.path, c.body])).toEqual([['/api/v1/workspaces/ws-1/preview-tickets', { port: 8000 }]]);
    expect(replace).toHaveBeenCalledWith(TICKET.url);
  });

  it('stays and explains when the workspace is stopped', async () => {
    const { api } = client(problem(409, 'state-conflict'));
    const replace = vi.fn();
    const outcome = await returnToPreview(api, 'ws-1', '8000', replace);
    expect(outcome).toEqual({
      kind: 'failed',
      message: 'The preview of port 8000 needs the workspace running. Start it, then open the preview again.',
    });
    expect(replace).not.toHaveBeenCalled();
  });

  it('asks for nothing when the port is not a port', async () => {
    const { api, calls } = client(ok);
    expect(await returnToPreview(api, 'ws-1', 'abc', vi.fn()))
      .toEqual({ kind: 'failed', message: 'This link asks for a preview of "abc", which is not a port number.' });
    expect(calls).toEqual([]);
  });
});
