// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import type { Member } from '../api/types';
import type { Session } from '../auth/session';
import { SecurityPage } from './SecurityPage';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const me: Member = { email: 'admin@example.com', role: 'admin', trusted: true, workspaceLimit: null };

function renderPage(tab: 'sessions' | 'firewall', api: Record<string, unknown>) {
  const value = { api: api as unknown as ApiClient, session: {} as Session, me } satisfies AppContextValue;
  render(<AppContext.Provider value={value}><SecurityPage tab={tab} /></AppContext.Provider>);
}

describe('firewall editor', () => {
  it('refuses a bad network on its row, then saves canonical rules', async () => {
    const get = vi.fn(async () => ({ rules: [{ action: 'allow', cidr: '10.0.0.0/8', note: 'office' }] }));
    const put = vi.fn(async (_path: string, body: unknown) => body);
    renderPage('firewall', { get, put });
    await screen.findByRole('note', { name: 'How the rules are applied' });
    fireEvent.click(screen.getByRole('button', { name: 'Add deny rule' }));
    fireEvent.change(screen.getByLabelText('Network of rule 2'), { target: { value: '10.1.0.1/16' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    expect(await screen.findByText('"10.1.0.1/16" has bits set past its prefix; the network is 10.1.0.0/16.')).toBeTruthy();
    expect(put).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText('Network of rule 2'), { target: { value: '10.1.0.0/16' } });
    // The more specific rule is consulted first, whatever its place in the list.
    expect(screen.getByText('Consulted 1st')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: '10.1.2.3' } });
    expect(screen.getByText(/Denied by rule 2/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Address'), { target: { value: '8.8.8.8' } });
    expect(screen.getByText(/No rule matches, and with an allow rule present/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save rules' }));
    await screen.findByText('Firewall saved: 2 rules in force.');
    expect(put).toHaveBeenCalledWith('/api/v1/security/firewall', { rules: [
      { action: 'allow', cidr: '10.0.0.0/8', note: 'office' },
      { action: 'deny', cidr: '10.1.0.0/16', note: null },
    ] });
    expect(screen.getByRole('button', { name: 'Save rules' })).toHaveProperty('disabled', true);
  });
});

describe('sessions', () => {
  it('shows active and closed sessions and refreshes the active ones periodically', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    // jsdom renders nothing, so it says it is not visible; polling only runs for a visible page.
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    const session = {
      id: 'c1', type: 'terminal', user: 'alice@example.com', clientIp: '127.0.0.1', workspaceId: 'ws-1',
      detail: 'session s1', openedAt: '2026-11-29T12:00:00Z', closedAt: null, closeReason: null, requests: null,
      bytesIn: 2048, bytesOut: 10,
    };
    const get = vi.fn(async (path: string) => (path.includes('state=active')
      ? { items: [session], next: null }
      : { items: [{ ...session, id: 'c0', closedAt: '2026-11-29T12:00:05Z', closeReason: 'closed by the client' }], next: null }));
    renderPage('sessions', { get });
    expect((await screen.findByRole('table', { name: 'Active sessions' })).textContent).toContain('Terminal · session s1');
    expect((await screen.findByRole('table', { name: 'Closed sessions' })).textContent).toContain('closed by the client');
    const activeCalls = () => get.mock.calls.filter(([p]) => (p as string).includes('state=active')).length;
    expect(activeCalls()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.waitFor(() => expect(activeCalls()).toBe(2));
    fireEvent.click(screen.getByLabelText('Auto-refresh'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(activeCalls()).toBe(2);
  });
});
