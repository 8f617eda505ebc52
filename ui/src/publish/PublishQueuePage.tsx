import { publishedPath } from './published';
import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useDocumentTitle, usePolling } from '../app/hooks';
import { usePaged } from '../app/paged';
import { Link } from '../app/router';
import { ApiError } from '../api/problem';
import { replaceItem, withQuery } from '../api/paging';
import { PUBLISH_STATUSES, type ListResponse, type PublishRequest, type PublishStatus } from '../api/types';
import { Dialog, EmptyState, ErrorMessage, LoadMore, Notice, PageHeader, RelativeTime, Spinner } from '../components/common';
import { PublishBadge } from './PublishPanel';
import { FOLLOW_MS, inFlight, publishStatusLabel, reviewable, safeUrl, unpublishable } from './publish';
import { UnpublishDialog } from './UnpublishDialog';

type Filter = PublishStatus | 'ALL';
type Decision = { request: PublishRequest; action: 'approve' | 'reject' };

/** Admins: publish requests to review, and the history of decisions. */
export function PublishQueuePage() {
  const { api, me } = useApp();
  useDocumentTitle('Publishing');
  const [filter, setFilter] = useState<Filter>('PENDING');
  const filterId = useId();
  const { result, loadMore, reload, update } = usePaged(
    (cursor, signal) => api.get<ListResponse<PublishRequest>>(withQuery('/api/v1/publish-requests', {
      status: filter === 'ALL' ? null : filter, limit: 50, cursor,
    }), signal),
    (r) => r.id,
    [filter],
  );
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [unpublishing, setUnpublishing] = useState<PublishRequest | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePolling(reload, FOLLOW_MS, result.state === 'loaded' && result.list.items.some((r) => inFlight(r.status)));

  /** A row that changed state here leaves a list filtered by its old state (decided: out of the queue). */
  const changed = (request: PublishRequest, what: string) => {
    update((list) => replaceItem(list, request.id, (r) => r.id, filter === 'ALL' || filter === request.status ? request : null));
    setNotice(`${what}: port ${request.port} of ${request.workspaceName ?? request.workspaceId}.`);
  };
  const decided = (request: PublishRequest, action: Decision['action']) => {
    setDeciding(null);
    changed(request, action === 'approve' ? 'Approved' : 'Rejected');
  };
  const unpublished = (request: PublishRequest) => {
    setUnpublishing(null);
    changed(request, 'Unpublishing');
  };

  return (
    <section>
      <PageHeader title="Publishing">
        <button type="button" className="button-secondary" onClick={reload}>Refresh</button>
      </PageHeader>
      <p className="lead">Requests to make a workspace's app public. Trusted members' requests are approved at once and show here as history; nobody reviews their own.</p>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      <div className="toolbar">
        <div className="field">
          <label htmlFor={filterId}>Show</label>
          <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {PUBLISH_STATUSES.map((s) => <option key={s} value={s}>{s === 'PENDING' ? 'Waiting for review' : publishStatusLabel(s)}</option>)}
            <option value="ALL">All requests</option>
          </select>
        </div>
      </div>
      {result.state === 'loading' && <Spinner label="Loading publish requests…" />}
      {result.state === 'failed' && (result.status === 404
        ? <EmptyState title="Publishing is not available"><p>This portal does not offer publishing yet.</p></EmptyState>
        : <ErrorMessage message={result.message} onRetry={reload} />)}
      {result.state === 'loaded' && result.list.items.length === 0 && (
        <EmptyState title={filter === 'PENDING' ? 'Nothing to review' : 'No requests'}>
          <p>{filter === 'PENDING' ? 'New publish requests show here.' : 'No request is in this state.'}</p>
        </EmptyState>
      )}
      {result.state === 'loaded' && result.list.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Publish requests">
              <thead>
                <tr>
                  <th scope="col">Workspace</th>
                  <th scope="col">Requested by</th>
                  <th scope="col" className="num">Port</th>
                  <th scope="col">Note</th>
                  <th scope="col">State</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {result.list.items.map((r) => {
                  const can = reviewable(r, me.email);
                  const url = safeUrl(r.url);
                  const what = `port ${r.port} of ${r.workspaceName ?? r.workspaceId}`;
                  return (
                    <tr key={r.id} data-publish-request={r.id}>
                      <td>
                        <Link href={`/workspaces/${encodeURIComponent(r.workspaceId)}`}>{r.workspaceName ?? r.workspaceId}</Link>
                        <div className="reason"><code>{r.workspaceId}</code></div>
                      </td>
                      <td>{r.requester}<div className="reason"><RelativeTime iso={r.requestedAt} /></div></td>
                      <td className="num">{r.port}</td>
                      <td>{r.note ?? <span className="muted">—</span>}</td>
                      <td>
                        <PublishBadge request={r} />
                        {r.autoApproved && <div className="reason">approved automatically (trusted)</div>}
                        {r.reviewer && <div className="reason">by {r.reviewer}{r.reviewedAt && <> · <RelativeTime iso={r.reviewedAt} /></>}</div>}
                        {r.comment && <div className="reason">“{r.comment}”</div>}
                        {r.reason && <div className="reason">{r.reason}</div>}
                        {url && r.status === 'PUBLISHED' && <div><a href={publishedPath(r.id)} target="_blank" rel="noopener" title={url}>Open the published app</a></div>}
                      </td>
                      <td>
                        {r.status === 'PENDING' && (
                          <div className="row-actions">
                            <button type="button" disabled={!can.ok} title={can.ok ? undefined : can.why}
                              aria-label={`Approve ${what}`} onClick={() => setDeciding({ request: r, action: 'approve' })}>Approve</button>
                            <button type="button" className="button-danger" disabled={!can.ok} title={can.ok ? undefined : can.why}
                              aria-label={`Reject ${what}`} onClick={() => setDeciding({ request: r, action: 'reject' })}>Reject</button>
                          </div>
                        )}
                        {r.status === 'PENDING' && !can.ok && <div className="reason">{can.why}</div>}
                        {unpublishable(r.status) && (
                          <div className="row-actions">
                            <button type="button" className="button-danger" aria-label={`Unpublish ${what}`}
                              onClick={() => setUnpublishing(r)}>Unpublish</button>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
            onMore={loadMore} what="requests" shown={result.list.items.length} />
        </>
      )}
      <ReviewDialog decision={deciding} onClose={() => setDeciding(null)} onDecided={decided}
        onStale={() => { setDeciding(null); reload(); }} />
      <UnpublishDialog request={unpublishing} onClose={() => setUnpublishing(null)} onUnpublishing={unpublished}
        onStale={() => { setUnpublishing(null); reload(); }} />
    </section>
  );
}

function ReviewDialog({ decision, onClose, onDecided, onStale }: {
  decision: Decision | null;
  onClose: () => void;
  onDecided: (r: PublishRequest, action: Decision['action']) => void;
  onStale: () => void;
}) {
  const { api } = useApp();
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ message: string; stale: boolean } | null>(null);
  const [shownFor, setShownFor] = useState<Decision | null>(null);
  const commentId = useId();
  const noteId = useId();
  if (decision !== shownFor) {
    setShownFor(decision);
    setComment('');
    setError(null);
  }
  const rejecting = decision?.action === 'reject';
  const missing = rejecting && !comment.trim();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!decision || missing) return;
    setSending(true);
    setError(null);
    try {
      const answer = await api.post<PublishRequest | undefined>(
        `/api/v1/publish-requests/${encodeURIComponent(decision.request.id)}/${decision.action}`,
        { comment: comment.trim() || null });
      onDecided(answer ?? { ...decision.request, status: rejecting ? 'REJECTED' : 'APPROVED', comment: comment.trim() || null },
        decision.action);
    } catch (e) {
      const stale = e instanceof ApiError && e.code === 'already-reviewed';
      setError({ message: (e as Error).message, stale });
    } finally {
      setSending(false);
    }
  };

  const r = decision?.request;
  return (
    <Dialog open={decision !== null} title={r ? `${rejecting ? 'Reject' : 'Approve'} port ${r.port} of ${r.workspaceName ?? r.workspaceId}?` : 'Review'} onClose={onClose}>
      {r && (
        <form onSubmit={submit} noValidate>
          <p>Requested by <strong>{r.requester}</strong>.{r.note && <> Their note: “{r.note}”</>}</p>
          <div className="field">
            <label htmlFor={commentId}>{rejecting ? 'Why it is rejected' : 'Comment (optional)'}</label>
            <textarea id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} aria-describedby={noteId}
              aria-invalid={missing && comment !== '' ? true : undefined} />
            <p id={noteId} className="field-hint">{rejecting ? 'The requester sees this, so they know what to change.' : 'The requester sees this.'}</p>
          </div>
          {error && <ErrorMessage message={error.message} onRetry={error.stale ? onStale : undefined} />}
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={onClose}>Cancel</button>
            <button type="submit" className={rejecting ? 'button-danger' : undefined} disabled={sending || missing}>
              {sending ? 'Sending…' : rejecting ? 'Reject' : 'Approve'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
