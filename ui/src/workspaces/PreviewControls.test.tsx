// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { Workspace, WorkspaceStatus } from '../api/types';
import type { Session } from '../auth/session';
import { PreviewControls } from './PreviewControls';

const ORIGIN = 'http://p8000--ws-1.preview.localhost:8080';
const URL_WITH_TICKET = `${ORIGIN}/__rde/preview/redeem?ticket=T1&next=%2F`;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function workspace(status: WorkspaceStatus, ports = [8000, 3000]): Workspace {
  return {
    id: 'ws-1', name: 'dev', blueprintId: 'bp-sample', owner: 'alice@example.com', status, statusReason: null, ports,
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
  };
}

function renderControls(w: Workspace, post: (path: string, body: unknown) => Promise<unknown>) {
  const value = {
    api: { post } as unknown as ApiClient,
    session: {} as Session,
    me: { email: 'alice@example.com', role: 'user', trusted: false, workspaceLimit: null },
  } satisfies AppContextValue;
  render(
    <AppContext.Provider value={value}>
      <PreviewControls workspace={w} />
    </AppContext.Provider>,
  );
}

describe('PreviewControls', () => {
  it('offers one control per declared port, disabled with the reason unless RUNNING', () => {
    const post = vi.fn();
    renderControls(workspace('STOPPED'), post);
    const button = screen.getByRole('button', { name: 'Open :8000 of dev in a new tab' });
    expect(button).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: /^Open :3000/ })).toHaveProperty('disabled', true);
    const hint = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toBe('Start the workspace to preview its apps.');
    fireEvent.click(button);
    expect(post).not.toHaveBeenCalled();
  });

  it('opens the tab during the click and sends it to the ticket, then shows the origin', async () => {
    let answer: (ticket: unknown) => void = () => {};
    const post = vi.fn(() => new Promise((resolve) => { answer = resolve; }));
    const tab = { opener: window, closed: false, location: { replace: vi.fn() }, close: vi.fn() };
    const open = vi.spyOn(window, 'open').mockImplementation(() => tab as unknown as Window);
    renderControls(workspace('RUNNING'), post);
    fireEvent.click(screen.getByRole('button', { name: 'Open :8000 of dev in a new tab' }));
    // Before the ticket arrives: a popup blocker only lets a click open a tab.
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    expect(post).toHaveBeenCalledWith('/api/v1/workspaces/ws-1/preview-tickets', { port: 8000 });
    expect(screen.getByRole('button', { name: /^Open :8000/ }).textContent).toBe('Opening :8000…');
    answer({ url: URL_WITH_TICKET, expiresAt: new Date(Date.now() + 30_000).toISOString(), origin: ORIGIN });
    await waitFor(() => expect(tab.location.replace).toHaveBeenCalledWith(URL_WITH_TICKET));
    await screen.findByText(ORIGIN);
    expect(screen.getByText('http://p3000--ws-1.preview.localhost:8080')).toBeTruthy();
  });

  it('falls back to a link when the browser blocks the tab', async () => {
    vi.spyOn(window, 'open').mockImplementation(() => null);
    const post = vi.fn(async () => ({ url: URL_WITH_TICKET, expiresAt: new Date(Date.now() + 30_000).toISOString(), origin: ORIGIN }));
    renderControls(workspace('RUNNING'), post);
    fireEvent.click(screen.getByRole('button', { name: 'Open :8000 of dev in a new tab' }));
    const link = await screen.findByRole('link', { name: 'Open :8000 of dev' });
    expect(link.getAttribute('href')).toBe(URL_WITH_TICKET);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('closes the waiting tab and says why the portal refused', async () => {
    const tab = { opener: window, closed: false, location: { replace: vi.fn() }, close: vi.fn() };
    vi.spyOn(window, 'open').mockImplementation(() => tab as unknown as Window);
    const post = vi.fn(async () => {
      throw new ApiError({ status: 400, code: 'validation-failed', detail: 'workspace ws-1 has no port 3000' });
    });
    renderControls(workspace('RUNNING'), post);
    fireEvent.click(screen.getByRole('button', { name: 'Open :3000 of dev in a new tab' }));
    expect((await screen.findByRole('alert')).textContent)
      .toBe("Port 3000 cannot be previewed: the workspace's blueprint does not declare it.");
    expect(tab.close).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: /^Open :3000/ })).toHaveProperty('disabled', false);
  });

  it('says so when the blueprint declares no port', () => {
    renderControls(workspace('RUNNING', []), vi.fn());
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText(/declares no ports/)).toBeTruthy();
  });
});
