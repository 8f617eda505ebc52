import { publishedPath } from './published';
import { useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { usePolling } from '../app/hooks';
import { usePaged } from '../app/paged';
import { ApiError } from '../api/problem';
import { replaceItem, withQuery } from '../api/paging';
import type { ListResponse, PublishRequest, Workspace } from '../api/types';
import { ErrorMessage, FormField, LoadMore, Notice, RelativeTime, Spinner } from '../components/common';
import {
  afterRequest, FOLLOW_MS, inFlight, publishBody, publishStatusLabel, publishTone, safeUrl, unpublishable, validatePublish,
  type PublishForm,
} from './publish';
import { UnpublishDialog } from './UnpublishDialog';

export function PublishBadge({ request }: { request: PublishRequest }) {
  return <span className={`badge badge-${publishTone(request.status)}`} data-publish-status={request.status}>{publishStatusLabel(request.status)}</span>;
}

/** The owner's side: ask to publish one of the workspace's ports, and follow the requests. */
export function PublishPanel({ workspace }: { workspace: Workspace }) {
  const { api } = useApp();
  const base = `/api/v1/workspaces/${encodeURIComponent(workspace.id)}/publish-requests`;
  const ports = workspace.ports ?? [];
  const { result, loadMore, reload, update } = usePaged(
    (cursor, signal) => api.get<ListResponse<PublishRequest>>(withQuery(base, { cursor }), signal),
    (r) => r.id,
    [base],
  );
  const [form, setForm] = useState<PublishForm>({ port: ports.length === 1 ? String(ports[0]) : '', note: '' });
  const [submitted, setSubmitted] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [unpublishing, setUnpublishing] = useState<PublishRequest | null>(null);
  const errors = submitted ? validatePublish(form, ports) : {};
  // A portal without publishing answers 404 here: say so once instead of an error on every workspace.
  const unavailable = result.state === 'failed' && result.status === 404;
  // The agent settles these (PUBLISHED or FAILED, UNPUBLISHED or back) with nobody watching: follow them.
  usePolling(reload, FOLLOW_MS, result.state === 'loaded' && result.list.items.some((r) => inFlight(r.status)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validatePublish(form, ports)).length > 0) return;
    setSending(true);
    setError(null);
    setNotice(null);
    try {
      const created = await api.post<PublishRequest>(base, publishBody(form));
      update((list) => ({ ...list, items: [created, ...list.items.filter((r) => r.id !== created.id)] }));
      setNotice(afterRequest(created));
      setForm({ ...form, note: '' });
      setSubmitted(false);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404
        ? 'Publishing is not available on this portal yet.' : (e as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="panel" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish</h2>
      <p className="lead">
        Publishing makes an app of this workspace reachable at a public address. An administrator reviews each
        request; requests of trusted members are approved at once.
      </p>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      <form onSubmit={submit} noValidate aria-label={`Publish ${workspace.name}`}>
        <div className="row">
          <FormField label="Port" error={errors.port}>
            {(props) => ports.length > 0 ? (
              <select {...props} value={form.port} onChange={(e) => setForm({ ...form, port: e.target.value })}>
                <option value="">Choose a port</option>
                {ports.map((p) => <option key={p} value={String(p)}>{p}</option>)}
              </select>
            ) : (
              <input {...props} inputMode="numeric" value={form.port} placeholder="8000"
                onChange={(e) => setForm({ ...form, port: e.target.value })} />
            )}
          </FormField>
          <FormField label="Note for the reviewer" error={errors.note} hint="What it is and why it should be public (optional).">
            {(props) => <textarea {...props} value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} />}
          </FormField>
        </div>
        {error && <ErrorMessage message={error} />}
        <div className="form-actions">
          <button type="submit" disabled={sending}>{sending ? 'Sending…' : 'Publish'}</button>
        </div>
      </form>
      <h3>Requests</h3>
      {result.state === 'loading' && <Spinner label="Loading publish requests…" />}
      {result.state === 'failed' && (unavailable
        ? <p className="field-hint">Publishing is not available on this portal yet.</p>
        : <ErrorMessage message={result.message} onRetry={reload} />)}
      {result.state === 'loaded' && result.list.items.length === 0 && <p className="field-hint">None yet.</p>}
      {result.state === 'loaded' && result.list.items.length > 0 && (
        <>
          <ul className="session-list" aria-label="Publish requests">
            {result.list.items.map((r) => {
              const url = safeUrl(r.url);
              return (
                <li key={r.id} data-publish-request={r.id}>
                  <span>
                    <strong>Port {r.port}</strong> · <PublishBadge request={r} /> · requested <RelativeTime iso={r.requestedAt} />
                    {r.autoApproved && <span className="muted"> · approved automatically</span>}
                    {r.reviewer && <span className="muted"> · reviewed by {r.reviewer}</span>}
                    {r.comment && <div className="reason">“{r.comment}”</div>}
                    {r.reason && <div className="reason">{r.reason}</div>}
                  </span>
                  <span className="row-actions">
                    {url && r.status === 'PUBLISHED' && <a href={publishedPath(r.id)} target="_blank" rel="noopener" title={url}>Open the published app</a>}
                    {unpublishable(r.status) && (
                      <button type="button" className="button-danger" onClick={() => setUnpublishing(r)}>Unpublish</button>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
          <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
            onMore={loadMore} what="requests" shown={result.list.items.length} />
        </>
      )}
      <UnpublishDialog request={unpublishing} onClose={() => setUnpublishing(null)}
        onUnpublishing={(answer) => {
          setUnpublishing(null);
          update((list) => replaceItem(list, answer.id, (r) => r.id, answer));
        }}
        onStale={() => { setUnpublishing(null); reload(); }} />
    </div>
  );
}
