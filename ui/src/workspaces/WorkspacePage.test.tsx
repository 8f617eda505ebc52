// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { Workspace } from '../api/types';
import type { Session } from '../auth/session';
import { WorkspacePage } from './WorkspacePage';

// The live stream is tested on its own; here it stays quiet.
vi.mock('../api/eventStream', () => ({ openEventStream: () => () => {} }));

afterEach(cleanup);

const stopped: Workspace = {
  id: 'ws-1', name: 'dev', blueprintId: 'bp-sample', owner: 'alice@example.com', status: 'STOPPED', statusReason: null,
  ports: [8000], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};

function renderPage(preview: string | null, post: (path: string, body: unknown) => Promise<unknown>) {
  const value = {
    api: {
      post,
      get: vi.fn(async (path: string) => (path.includes('/publish-requests') ? { items: [], next: null } : stopped)),
    } as unknown as ApiClient,
    session: {} as Session,
    me: { email: 'alice@example.com', role: 'user', trusted: false, workspaceLimit: null },
  } satisfies AppContextValue;
  render(
    <AppContext.Provider value={value}>
      <WorkspacePage workspaceId="ws-1" preview={preview} />
    </AppContext.Provider>,
  );
}

describe('WorkspacePage with ?preview=', () => {
  it('asks for one ticket, then shows why it cannot open and drops the query', async () => {
    window.history.replaceState(null, '', '/workspaces/ws-1?preview=8000');
    const post = vi.fn(async () => {
      throw new ApiError({ status: 409, code: 'state-conflict', detail: 'workspace ws-1 is STOPPED' });
    });
    renderPage('8000', post);
    expect(screen.getByText('Opening the preview of port 8000…')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent)
      .toBe('The preview of port 8000 needs the workspace running. Start it, then open the preview again.');
    expect(post).toHaveBeenCalledTimes(1);
    expect(post).toHaveBeenCalledWith('/api/v1/workspaces/ws-1/preview-tickets', { port: 8000 });
    expect(window.location.pathname + window.location.search).toBe('/workspaces/ws-1');
    await screen.findByRole('heading', { name: 'dev' });
    expect(screen.getByRole('button', { name: 'Open :8000 of dev in a new tab' })).toHaveProperty('disabled', true);
  });

  it('shows the workspace without asking for a ticket when no preview is asked for', async () => {
    const post = vi.fn();
    renderPage(null, post);
    await screen.findByRole('heading', { name: 'dev' });
    expect(screen.getByRole('heading', { name: 'Previews' })).toBeTruthy();
    expect(post).not.toHaveBeenCalled();
  });
});
