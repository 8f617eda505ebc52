import { describe, expect, it } from 'vitest';
import { PUBLISH_STATUSES, type PublishRequest } from '../api/types';
import {
  afterRequest, inFlight, publishBody, publishStatusLabel, publishTone, reviewable, safeUrl, unpublishable, unpublishPath,
  validatePublish,
} from './publish';

const request: PublishRequest = {
  id: 'pr-1', workspaceId: 'ws-1', workspaceName: 'dev', requester: 'alice@example.com', port: 8000, note: null,
  status: 'PENDING', reviewer: null, comment: null, requestedAt: '2026-11-29T12:00:00Z', reviewedAt: null,
  autoApproved: false, url: null, reason: null,
};

describe('publish requests', () => {
  it('checks the port against the workspace and builds the body', () => {
    expect(validatePublish({ port: '8000', note: ' ship it ' }, [8000, 3000])).toEqual({});
    expect(publishBody({ port: '8000', note: ' ship it ' })).toEqual({ port: 8000, note: 'ship it' });
    expect(publishBody({ port: '8000', note: '  ' })).toEqual({ port: 8000, note: null });
    expect(validatePublish({ port: '', note: '' }, [8000]).port).toBe('Choose the port of the app to publish.');
    expect(validatePublish({ port: '9000', note: '' }, [8000, 3000]).port).toBe("This workspace's ports are 8000, 3000.");
    expect(validatePublish({ port: '70000', note: '' }, []).port).toBe('A port from 1 to 65535.');
    expect(validatePublish({ port: '9000', note: 'x'.repeat(1001) }, []).note).toBe('At most 1000 characters.');
  });

  it('lets admins review only others\' pending requests', () => {
    expect(reviewable(request, 'admin@example.com')).toEqual({ ok: true });
    expect(reviewable(request, 'Alice@example.com')).toMatchObject({ ok: false });
    expect(reviewable({ ...request, status: 'APPROVED' }, 'admin@example.com')).toEqual({ ok: false, why: 'Already reviewed.' });
  });

  it('tells the owner what happens next', () => {
    expect(afterRequest(request)).toBe('Publishing port 8000 was requested; an administrator will review it.');
    expect(afterRequest({ ...request, status: 'APPROVED', autoApproved: true }))
      .toBe('Port 8000 was approved at once (you are a trusted member); it is being published.');
  });

  it('labels states and links only web URLs', () => {
    expect(publishStatusLabel('PENDING')).toBe('Waiting for review');
    expect(publishTone('PUBLISHED')).toBe('ok');
    expect(publishTone('FAILED')).toBe('bad');
    expect(publishStatusLabel('UNPUBLISHING')).toBe('Being removed');
    expect(publishTone('UNPUBLISHING')).toBe('busy');
    expect(publishStatusLabel('UNPUBLISHED')).toBe('Unpublished');
    expect(publishTone('UNPUBLISHED')).toBe('idle');
    expect(safeUrl('https://dev.apps.example.com/')).toBe('https://dev.apps.example.com/');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(null)).toBeNull();
  });

  it('unpublishes only a running app or what a failed publish left, and follows what the agent is doing', () => {
    expect(PUBLISH_STATUSES.filter(unpublishable)).toEqual(['PUBLISHED', 'FAILED']);
    expect(inFlight('APPROVED')).toBe(true);
    expect(inFlight('UNPUBLISHING')).toBe(true);
    expect(inFlight('PUBLISHED')).toBe(false);
    expect(inFlight('UNPUBLISHED')).toBe(false);
    expect(unpublishPath('pr 1')).toBe('/api/v1/publish-requests/pr%201/unpublish');
  });
});
