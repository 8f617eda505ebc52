// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { Member } from '../api/types';
import type { Session } from '../auth/session';
import { MembersPage } from './MembersPage';

afterEach(cleanup);

beforeAll(() => {
  // jsdom has no modal dialogs.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) { this.open = false; };
});

const me: Member = { email: 'admin@example.com', role: 'admin', trusted: true, workspaceLimit: null };
const alice: Member = { email: 'alice@example.com', role: 'user', trusted: false, workspaceLimit: null };

function renderPage(api: Partial<Record<'get' | 'put' | 'delete', ReturnType<typeof vi.fn>>>) {
  const value = { api: api as unknown as ApiClient, session: {} as Session, me } satisfies AppContextValue;
  render(<AppContext.Provider value={value}><MembersPage /></AppContext.Provider>);
}

describe('MembersPage', () => {
  it('pages through members with the cursor the portal answered', async () => {
    const get = vi.fn(async (path: string) => (path.includes('cursor=')
      ? { items: [alice], next: null }
      : { items: [me], next: 'admin@example.com' }));
    renderPage({ get });
    await screen.findByText('admin@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Load more members' }));
    await screen.findByText('alice@example.com');
    expect(get).toHaveBeenLastCalledWith('/api/v1/members?limit=50&cursor=admin%40example.com', expect.anything());
    expect(screen.queryByRole('button', { name: 'Load more members' })).toBeNull();
  });

  it('saves a new limit and shows it in the row', async () => {
    const put = vi.fn(async (_path: string, body: { workspaceLimit: number | null }) => ({ ...alice, ...body }));
    renderPage({ get: vi.fn(async () => ({ items: [me, alice], next: null })), put });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit alice@example.com' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Workspace limit'), { target: { value: '3' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByText('alice@example.com saved.');
    expect(put).toHaveBeenCalledWith('/api/v1/members/alice%40example.com', { role: 'user', trusted: false, workspaceLimit: 3 });
    expect(document.querySelector('tr[data-member="alice@example.com"] td[data-limit="3"]')).not.toBeNull();
  });

  it('explains the last-admin refusal and keeps the member', async () => {
    const del = vi.fn(async () => {
      throw new ApiError({ status: 409, code: 'last-admin', detail: 'admin@example.com is the last admin' });
    });
    renderPage({ get: vi.fn(async () => ({ items: [me], next: null })), delete: del });
    fireEvent.click(await screen.findByRole('button', { name: 'Remove admin@example.com' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('This is you');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect((await within(dialog).findByRole('alert')).textContent)
      .toContain('The portal needs at least one administrator');
    expect(document.querySelector('tr[data-member="admin@example.com"]')).not.toBeNull();
  });

  it('checks the invitation before sending it', async () => {
    const put = vi.fn();
    renderPage({ get: vi.fn(async () => ({ items: [me], next: null })), put });
    await screen.findByText('admin@example.com');
    const form = screen.getByRole('form', { name: 'Invite a member' });
    fireEvent.change(within(form).getByLabelText('Email'), { target: { value: 'carol' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(await within(form).findByText('"carol" is not an email address.')).toBeTruthy();
    expect(put).not.toHaveBeenCalled();
  });
});
