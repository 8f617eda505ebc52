// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { PUBLISH_STATUSES, type Member, type PublishRequest } from '../api/types';
import type { Session } from '../auth/session';
import { PublishQueuePage } from './PublishQueuePage';

afterEach(cleanup);

beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) { this.open = false; };
});

const me: Member = { email: 'admin@example.com', role: 'admin', trusted: true, workspaceLimit: null };
const pending: PublishRequest = {
  id: 'pr-1', workspaceId: 'ws-1', workspaceName: 'dev', requester: 'alice@example.com', port: 8000, note: 'demo',
  status: 'PENDING', reviewer: null, comment: null, requestedAt: '2026-11-29T12:00:00Z', reviewedAt: null,
  autoApproved: false, url: null, reason: null,
};
const own: PublishRequest = { ...pending, id: 'pr-2', requester: 'admin@example.com', workspaceName: 'mine' };

function renderPage(get: ReturnType<typeof vi.fn>, post: ReturnType<typeof vi.fn>) {
  const value = { api: { get, post } as unknown as ApiClient, session: {} as Session, me } satisfies AppContextValue;
  render(<AppContext.Provider value={value}><PublishQueuePage /></AppContext.Provider>);
}

describe('PublishQueuePage', () => {
  it('asks for pending requests and approves one with a comment', async () => {
    const get = vi.fn(async () => ({ items: [pending, own], next: null }));
    const post = vi.fn(async () => ({ ...pending, status: 'APPROVED', reviewer: 'admin@example.com', comment: 'ok' }));
    renderPage(get, post);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve port 8000 of dev' }));
    expect(get).toHaveBeenCalledWith('/api/v1/publish-requests?status=PENDING&limit=50', expect.anything());
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Comment (optional)'), { target: { value: 'ok' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await screen.findByText('Approved: port 8000 of dev.');
    expect(post).toHaveBeenCalledWith('/api/v1/publish-requests/pr-1/approve', { comment: 'ok' });
    expect(document.querySelector('tr[data-publish-request="pr-1"]')).toBeNull();
  });

  it('does not offer reviewing one\'s own request', async () => {
    renderPage(vi.fn(async () => ({ items: [own], next: null })), vi.fn());
    const approve = await screen.findByRole('button', { name: 'Approve port 8000 of mine' });
    expect(approve).toHaveProperty('disabled', true);
    expect(screen.getByText('Your own request: another administrator has to review it.')).toBeTruthy();
  });

  it('needs a reason to reject, and explains a request someone else reviewed first', async () => {
    const post = vi.fn(async () => { throw new ApiError({ status: 409, code: 'already-reviewed' }); });
    renderPage(vi.fn(async () => ({ items: [pending], next: null })), post);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject port 8000 of dev' }));
    const dialog = screen.getByRole('dialog');
    const reject = within(dialog).getByRole('button', { name: 'Reject' });
    expect(reject).toHaveProperty('disabled', true);
    fireEvent.change(within(dialog).getByLabelText('Why it is rejected'), { target: { value: 'not ready' } });
    fireEvent.click(reject);
    expect((await within(dialog).findByRole('alert')).textContent).toContain('already reviewed');
    expect(post).toHaveBeenCalledWith('/api/v1/publish-requests/pr-1/reject', { comment: 'not ready' });
  });

  it('unpublishes a published app or a failed publish, and filters by the removal states', async () => {
    const requests = PUBLISH_STATUSES.map((status, i) => ({ ...pending, id: `pr-${status}`, status, port: 8000 + i }));
    const get = vi.fn(async (path: string) => {
      const status = new URL(path, 'http://portal').searchParams.get('status');
      return { items: requests.filter((r) => status === null || r.status === status), next: null };
    });
    const post = vi.fn(async () => ({ ...requests[3], status: 'UNPUBLISHING' }));
    renderPage(get, post);
    await screen.findByRole('table', { name: 'Publish requests' });
    const show = screen.getByLabelText('Show');
    fireEvent.change(show, { target: { value: 'ALL' } });
    await vi.waitFor(() => expect(document.querySelectorAll('tr[data-publish-request]')).toHaveLength(requests.length));
    expect(get).toHaveBeenLastCalledWith('/api/v1/publish-requests?limit=50', expect.anything());
    const offered = screen.getAllByRole('button', { name: /^Unpublish / }).map((b) => b.getAttribute('aria-label'));
    expect(offered).toEqual(['Unpublish port 8003 of dev', 'Unpublish port 8004 of dev']);

    fireEvent.click(screen.getByRole('button', { name: 'Unpublish port 8003 of dev' }));
    const dialog = screen.getByRole('dialog', { name: 'Unpublish port 8003 of dev?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unpublish' }));
    await screen.findByText('Unpublishing: port 8003 of dev.');
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('/api/v1/publish-requests/pr-PUBLISHED/unpublish');
    const row = document.querySelector('tr[data-publish-request="pr-PUBLISHED"]') as HTMLElement;
    expect(within(row).getByText('Being removed')).toBeTruthy();
    expect(within(row).queryByRole('button', { name: /^Unpublish / })).toBeNull();

    for (const [status, label] of [['UNPUBLISHING', 'Being removed'], ['UNPUBLISHED', 'Unpublished']]) {
      expect(within(show).getByRole('option', { name: label })).toHaveProperty('value', status);
      fireEvent.change(show, { target: { value: status } });
      await vi.waitFor(() => expect(document.querySelectorAll('tr[data-publish-request]')).toHaveLength(1));
      expect(get).toHaveBeenLastCalledWith(`/api/v1/publish-requests?status=${status}&limit=50`, expect.anything());
      expect(document.querySelector(`tr[data-publish-request="pr-${status}"]`)).not.toBeNull();
    }
  });
});
