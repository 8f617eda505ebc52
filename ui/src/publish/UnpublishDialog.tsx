import { useState } from 'react';
import { useApp } from '../app/context';
import { ApiError } from '../api/problem';
import type { PublishRequest } from '../api/types';
import { Dialog, ErrorMessage } from '../components/common';
import { unpublishPath } from './publish';

/**
 * Confirms taking an app down, then asks the portal to. The answer (UNPUBLISHING) goes to
 * `onUnpublishing`; a refusal stays in the dialog, and the row keeps the state it had.
 */
export function UnpublishDialog({ request, onClose, onUnpublishing, onStale }: {
  request: PublishRequest | null;
  onClose: () => void;
  onUnpublishing: (answer: PublishRequest) => void;
  /** The row is out of date (it changed, or it is gone): close and list again. */
  onStale: () => void;
}) {
  const { api } = useApp();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ message: string; stale: boolean } | null>(null);
  const [shownFor, setShownFor] = useState<PublishRequest | null>(null);
  if (request !== shownFor) {
    setShownFor(request);
    setError(null);
  }

  const unpublish = async () => {
    if (!request) return;
    setSending(true);
    setError(null);
    try {
      onUnpublishing(await api.post<PublishRequest>(unpublishPath(request.id)));
    } catch (e) {
      const stale = e instanceof ApiError && (e.status === 404 || e.status === 409);
      setError({ message: (e as Error).message, stale });
    } finally {
      setSending(false);
    }
  };

  const what = request ? `port ${request.port} of ${request.workspaceName ?? request.workspaceId}` : '';
  return (
    <Dialog open={request !== null} title={request ? `Unpublish ${what}?` : 'Unpublish'} onClose={onClose}>
      <p>
        {request?.status === 'FAILED'
          ? 'What the failed publish may have left behind is removed.'
          : 'Members can no longer reach the app: its address answers "not found" from then on.'}
      </p>
      {error && <ErrorMessage message={error.message} onRetry={error.stale ? onStale : undefined} />}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose} autoFocus>Keep it</button>
        <button type="button" className="button-danger" onClick={unpublish} disabled={sending}>
          {sending ? 'Unpublishing…' : 'Unpublish'}
        </button>
      </div>
    </Dialog>
  );
}
