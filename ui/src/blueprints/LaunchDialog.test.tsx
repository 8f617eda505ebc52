// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import type { Blueprint } from '../api/types';
import type { Session } from '../auth/session';
import { LaunchDialog } from './LaunchDialog';

const blueprint: Blueprint = {
  id: 'bp-sample', name: 'sample', clusterId: 'local', image: 'debian:12',
  resources: { cpu: '1', memory: '1Gi', storage: '5Gi' }, ports: [8000], env: {}, startCommand: null,
};

beforeAll(() => {
  // jsdom has <dialog> but not its modal behaviour.
  HTMLDialogElement.prototype.showModal ??= function showModal(this: HTMLDialogElement) { this.open = true; };
  HTMLDialogElement.prototype.close ??= function close(this: HTMLDialogElement) { this.open = false; };
});
afterEach(cleanup);

function renderDialog(post: (path: string, body: unknown) => Promise<unknown>) {
  const onLaunched = vi.fn();
  const value = {
    api: { post } as unknown as ApiClient,
    session: {} as Session,
    me: { email: 'alice@example.com', role: 'user', trusted: false, workspaceLimit: null },
  } satisfies AppContextValue;
  render(
    <AppContext.Provider value={value}>
      <LaunchDialog blueprint={blueprint} onClose={() => {}} onLaunched={onLaunched} />
    </AppContext.Provider>,
  );
  return { onLaunched, input: screen.getByLabelText('Workspace name') as HTMLInputElement };
}

describe('LaunchDialog', () => {
  it('suggests a name and launches with it', async () => {
    const post = vi.fn(async () => ({ id: 'ws-1', status: 'PROVISIONING' }));
    const { onLaunched, input } = renderDialog(post);
    expect(input.value).toBe('sample');
    fireEvent.change(input, { target: { value: 'my-dev' } });
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(onLaunched).toHaveBeenCalledWith({ id: 'ws-1', status: 'PROVISIONING' }, 'my-dev'));
    expect(post).toHaveBeenCalledWith('/api/v1/workspaces', { blueprintId: 'bp-sample', name: 'my-dev' });
  });

  it('explains an invalid name and sends nothing', () => {
    const post = vi.fn();
    const { input } = renderDialog(post);
    fireEvent.change(input, { target: { value: 'My_Dev' } });
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    expect(post).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Start with a lower-case letter.').id).toBe(input.getAttribute('aria-describedby'));
  });

  it('shows the portal\'s refusal in words', async () => {
    const post = vi.fn(async () => {
      throw new ApiError({ status: 409, code: 'workspace-limit-reached', detail: 'limit is 2' });
    });
    renderDialog(post);
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent', 'You have reached your limit of running workspaces. Stop one first. Limit is 2.');
  });
});
