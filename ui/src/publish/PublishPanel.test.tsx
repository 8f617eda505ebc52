// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { PUBLISH_STATUSES, type PublishRequest, type Workspace } from '../api/types';
import type { Session } from '../auth/session';
import { PublishPanel } from './PublishPanel';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) { this.open = false; };
});

const workspace: Workspace = {
  id: 'ws-1', name: 'dev', blueprintId: 'bp-sample', owner: 'alice@example.com', status: 'RUNNING', statusReason: null,
  ports: [8000, 3000], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};

function renderPanel(get: ReturnType<typeof vi.fn>, post: ReturnType<typeof vi.fn>) {
  const value = {
    api: { get, post } as unknown as ApiClient,
    session: {} as Session,
    me: { email: 'alice@example.com', role: 'user', trusted: false, workspaceLimit: null },
  } satisfies AppContextValue;
  render(<AppContext.Provider value={value}><PublishPanel workspace={workspace} /></AppContext.Provider>);
}

const published: PublishRequest = {
  id: 'pr-1', workspaceId: 'ws-1', workspaceName: 'dev', requester: 'alice@example.com', port: 8000, note: null,
  status: 'PUBLISHED', reviewer: 'admin@example.com', comment: null, requestedAt: '2026-11-29T12:00:00Z',
  reviewedAt: '2026-11-29T12:05:00Z', autoApproved: false, url: 'https://dev--pub.apps.example.com/', reason: null,
};

const row = (id: string) => document.querySelector(`[data-publish-request="${id}"]`) as HTMLElement;
const statusOf = (id: string) => row(id).querySelector('[data-publish-status]')?.getAttribute('data-publish-status');

describe('PublishPanel', () => {
  it('asks to publish a port of the workspace and lists the request', async () => {
    const created: PublishRequest = {
      id: 'pr-1', workspaceId: 'ws-1', workspaceName: 'dev', requester: 'alice@example.com', port: 3000, note: 'demo',
      status: 'PENDING', reviewer: null, comment: null, requestedAt: new Date().toISOString(), reviewedAt: null,
      autoApproved: false, url: null, reason: null,
    };
    const post = vi.fn(async () => created);
    renderPanel(vi.fn(async () => ({ items: [], next: null })), post);
    await screen.findByText('None yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    expect(await screen.findByText('Choose the port of the app to publish.')).toBeTruthy();
    expect(post).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '3000' } });
    fireEvent.change(screen.getByLabelText('Note for the reviewer'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publish' }));
    await screen.findByText('Publishing port 3000 was requested; an administrator will review it.');
    expect(post).toHaveBeenCalledWith('/api/v1/workspaces/ws-1/publish-requests', { port: 3000, note: 'demo' });
    expect(document.querySelector('[data-publish-request="pr-1"] [data-publish-status="PENDING"]')).not.toBeNull();
  });

  it('says once that a portal without publishing does not offer it', async () => {
    renderPanel(vi.fn(async () => { throw new ApiError({ status: 404, code: 'not-found' }); }), vi.fn());
    expect(await screen.findByText('Publishing is not available on this portal yet.')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers unpublishing only a published app or a failed publish', async () => {
    const requests = PUBLISH_STATUSES.map((status) => ({ ...published, id: `pr-${status}`, status }));
    renderPanel(vi.fn(async () => ({ items: requests, next: null })), vi.fn());
    await screen.findByRole('list', { name: 'Publish requests' });
    const offered = requests.filter((r) => within(row(r.id)).queryByRole('button', { name: 'Unpublish' }) !== null);
    expect(offered.map((r) => r.status)).toEqual(['PUBLISHED', 'FAILED']);
  });

  it('unpublishes after confirming, then follows the removal until the app is gone', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // jsdom renders nothing, so it says it is not visible; polling only runs for a visible page.
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    const get = vi.fn()
      .mockResolvedValueOnce({ items: [published], next: null })
      .mockResolvedValue({ items: [{ ...published, status: 'UNPUBLISHED' }], next: null });
    const post = vi.fn(async () => ({ ...published, status: 'UNPUBLISHING' }));
    renderPanel(get, post);
    expect(await screen.findByRole('link', { name: 'Open the published app' })).toBeTruthy();
    fireEvent.click(within(row('pr-1')).getByRole('button', { name: 'Unpublish' }));
    const dialog = screen.getByRole('dialog', { name: 'Unpublish port 8000 of dev?' });
    expect(post).not.toHaveBeenCalled();
    const confirm = within(dialog).getByRole('button', { name: 'Unpublish' });
    fireEvent.click(confirm);
    fireEvent.click(confirm);
    await vi.waitFor(() => expect(statusOf('pr-1')).toBe('UNPUBLISHING'));
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('/api/v1/publish-requests/pr-1/unpublish');
    expect(within(row('pr-1')).getByText('Being removed')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Open the published app' })).toBeNull();
    expect(dialog).toHaveProperty('open', false);
    expect(get).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.waitFor(() => expect(statusOf('pr-1')).toBe('UNPUBLISHED'));
    expect(within(row('pr-1')).getByText('Unpublished')).toBeTruthy();
    // Settled: nothing more to follow.
    await vi.advanceTimersByTimeAsync(20_000);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('shows why the portal refuses to unpublish, and leaves the request as it was', async () => {
    const post = vi.fn(async () => {
      throw new ApiError({
        status: 409, code: 'state-conflict',
        detail: 'publish request pr-1 is UNPUBLISHING; only a PUBLISHED app, or what a FAILED publish left, can be unpublished',
      });
    });
    renderPanel(vi.fn(async () => ({ items: [published], next: null })), post);
    fireEvent.click(await screen.findByRole('button', { name: 'Unpublish' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unpublish' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Publish request pr-1 is UNPUBLISHING');
    expect(post).toHaveBeenCalledTimes(1);
    expect(statusOf('pr-1')).toBe('PUBLISHED');
    expect(screen.getByRole('link', { name: 'Open the published app' })).toBeTruthy();
  });
});
