// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { PublishRequest, Workspace } from '../api/types';
import type { Session } from '../auth/session';
import { PublishPanel } from './PublishPanel';

afterEach(cleanup);

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

describe('PublishPanel', () => {
  it('asks to publish a port of the workspace and lists the request', async () => {
    const created: PublishRequest = {
      id: 'pr-1', workspaceId: 'ws-1', workspaceName: 'dev', requester: 'alice@example.com', port: 3000, note: 'demo',
      status: 'PENDING', reviewer: null, comment: null, requestedAt: new Date().toISOString(), reviewedAt: null,
      autoApproved: false, url: null,
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
});
