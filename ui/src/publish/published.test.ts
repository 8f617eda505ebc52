import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { describePublishedError, openPublished, publishedPath, publishedTicketPath } from './published';

function client(post: (path: string, body: unknown) => Promise<unknown>) {
  return { post } as unknown as Parameters<typeof openPublished>[0];
}

describe('published apps', () => {
  it('names the in-portal route and the ticket endpoint, escaping the id', () => {
    expect(publishedPath('pr-1')).toBe('/published/pr-1');
    expect(publishedTicketPath('a/b')).toBe('/api/v1/published/a%2Fb/tickets');
  });

  it('asks for a ticket and leaves for its URL', async () => {
    const post = vi.fn().mockResolvedValue({ url: 'http://demo--pub.preview.localhost:8080/__rde/preview/redeem?ticket=t', expiresAt: '' });
    const replace = vi.fn();
    const outcome = await openPublished(client(post), 'pr-1', replace);
    expect(post).toHaveBeenCalledWith('/api/v1/published/pr-1/tickets', {});
    expect(replace).toHaveBeenCalledWith('http://demo--pub.preview.localhost:8080/__rde/preview/redeem?ticket=t');
    expect(outcome).toEqual({ kind: 'leaving' });
  });

  it('stays and says why when the portal refuses', async () => {
    const refused = new ApiError({ status: 409, code: 'state-conflict', detail: 'publish request pr-1 is PENDING' });
    const replace = vi.fn();
    const outcome = await openPublished(client(() => Promise.reject(refused)), 'pr-1', replace);
    expect(replace).not.toHaveBeenCalled();
    expect(outcome).toEqual({ kind: 'failed', message: describePublishedError(refused) });
    expect(describePublishedError(refused)).toContain('not published');
    expect(describePublishedError(new ApiError({ status: 403, code: 'not-a-member' }))).toContain('members');
  });
});
