import { useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useDocumentTitle } from '../app/hooks';
import { usePaged } from '../app/paged';
import { Link } from '../app/router';
import { downloadFile } from '../api/download';
import { withQuery } from '../api/paging';
import type { AuditEntry, ListResponse, VerificationReport } from '../api/types';
import { EmptyState, ErrorMessage, formatBytes, FormField, LoadMore, PageHeader, Spinner, Timestamp } from '../components/common';
import { activeFilterCount, auditParams, describeReport, NO_FILTERS, validateFilters, type AuditFilters } from './filters';

const PAGE_SIZE = 100;

/** Admins: the event history, its integrity check and its export. */
export function AuditPage() {
  const { api } = useApp();
  useDocumentTitle('Audit log');
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const [submitted, setSubmitted] = useState(false);
  const errors = submitted ? validateFilters(draft) : {};
  const params = auditParams(applied);
  const { result, loadMore, reload } = usePaged(
    (cursor, signal) => api.get<ListResponse<AuditEntry>>(
      withQuery('/api/v1/audit', { ...params, limit: PAGE_SIZE, cursor }), signal),
    (e) => String(e.sequence),
    [JSON.stringify(params)],
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateFilters(draft)).length > 0) return;
    setApplied(draft);
  };
  const clear = () => {
    setDraft(NO_FILTERS);
    setApplied(NO_FILTERS);
    setSubmitted(false);
  };
  const text = (key: keyof AuditFilters, placeholder: string) => (props: object) => (
    <input {...props} value={draft[key]} placeholder={placeholder} spellCheck={false} autoComplete="off"
      onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
  );
  const time = (key: 'from' | 'to') => (props: object) => (
    <input {...props} type="datetime-local" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
  );

  return (
    <section>
      <PageHeader title="Audit log" />
      <p className="lead">Every change the portal recorded, oldest first, linked in a hash chain so that an edited, deleted or inserted event shows up when verified.</p>
      <div className="row">
        <VerifyPanel />
        <ExportPanel filters={applied} />
      </div>
      <form className="panel filters" onSubmit={apply} noValidate aria-labelledby="filter-title" style={{ maxWidth: 'none' }}>
        <h2 id="filter-title">Filter</h2>
        <div className="row">
          <FormField label="From" error={errors.from} hint="Your local time.">{time('from')}</FormField>
          <FormField label="To" error={errors.to} hint="Up to, not including.">{time('to')}</FormField>
          <FormField label="Actor" hint="An email, agent:<id> or system.">{text('actor', 'alice@example.com')}</FormField>
          <FormField label="Event type" error={errors.type}>{text('type', 'WorkspaceLaunchedEvent')}</FormField>
          <FormField label="Workspace">{text('workspace', 'ws-…')}</FormField>
        </div>
        <div className="form-actions">
          <button type="button" className="button-secondary" onClick={clear}>Clear filters</button>
          <button type="submit">Apply filters</button>
        </div>
      </form>
      <div className="page-header">
        <h2>Events{activeFilterCount(applied) > 0 && <span className="muted"> ({activeFilterCount(applied)} filter{activeFilterCount(applied) === 1 ? '' : 's'})</span>}</h2>
        <div className="page-actions"><button type="button" className="button-secondary" onClick={reload}>Refresh</button></div>
      </div>
      {result.state === 'loading' && <Spinner label="Loading the audit log…" />}
      {result.state === 'failed' && <ErrorMessage message={result.message} onRetry={reload} />}
      {result.state === 'loaded' && result.list.items.length === 0 && (
        <EmptyState title="No events"><p>{activeFilterCount(applied) > 0 ? 'Nothing matches these filters.' : 'Nothing has been recorded yet.'}</p></EmptyState>
      )}
      {result.state === 'loaded' && result.list.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Audit events">
              <thead>
                <tr>
                  <th scope="col" className="num">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Event</th>
                  <th scope="col">Subject</th>
                </tr>
              </thead>
              <tbody>
                {result.list.items.map((e) => (
                  <tr key={e.sequence} data-sequence={e.sequence} data-type={e.type}>
                    <td className="num">{e.sequence}</td>
                    <td><Timestamp iso={e.time} /></td>
                    <td>{e.actor ?? <span className="muted">—</span>}{e.ip && <div className="reason">from <code>{e.ip}</code></div>}</td>
                    <td>
                      <strong>{e.type}</strong>
                      {e.summary && <div>{e.summary}</div>}
                      {e.payload !== null && e.payload !== undefined && (
                        <details>
                          <summary>Details</summary>
                          <pre className="payload">{JSON.stringify(e.payload, null, 2)}</pre>
                          {e.correlationId && <p className="reason">Correlation <code>{e.correlationId}</code></p>}
                        </details>
                      )}
                    </td>
                    <td>
                      {e.subject
                        ? (e.subject.startsWith('ws-')
                          ? <Link href={`/workspaces/${encodeURIComponent(e.subject)}`}><code>{e.subject}</code></Link>
                          : <code>{e.subject}</code>)
                        : <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
            onMore={loadMore} what="events" shown={result.list.items.length} />
        </>
      )}
    </section>
  );
}

function VerifyPanel() {
  const { api } = useApp();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'running' } | { kind: 'done'; report: VerificationReport; at: Date } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const verify = async () => {
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', report: await api.get<VerificationReport>('/api/v1/audit/verify'), at: new Date() });
    } catch (e) {
      setState({ kind: 'failed', message: (e as Error).message });
    }
  };
  const verdict = state.kind === 'done' ? describeReport(state.report) : null;
  return (
    <div className="panel" style={{ flex: 1, minWidth: '18rem' }} aria-labelledby="verify-title">
      <h2 id="verify-title">Integrity</h2>
      <p className="field-hint">Recomputes every link of the chain from the stored events.</p>
      <div aria-live="polite">
        {state.kind === 'running' && <Spinner label="Verifying the chain…" />}
        {state.kind === 'failed' && <ErrorMessage message={state.message} />}
        {state.kind === 'done' && verdict && (
          <div className={`verdict verdict-${verdict.tone}`} data-verdict={verdict.tone} role="status">
            <strong>{verdict.headline}</strong> {verdict.detail}
            <div className="reason">Checked at {state.at.toLocaleTimeString()}</div>
            {state.report.findings.length > 0 && (
              <ul>
                {state.report.findings.slice(0, 20).map((f) => (
                  <li key={`${f.sequence}-${f.kind}`}>Sequence {f.sequence}: {f.kind}{f.detail && ` — ${f.detail}`}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <button type="button" onClick={verify} disabled={state.kind === 'running'}>Verify integrity</button>
    </div>
  );
}

function ExportPanel({ filters }: { filters: AuditFilters }) {
  const { api } = useApp();
  const [format, setFormat] = useState<'jsonl' | 'csv'>('jsonl');
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'running' } | { kind: 'done'; name: string; size: number } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  const filtered = activeFilterCount(filters) > 0;
  const run = async () => {
    setState({ kind: 'running' });
    try {
      const saved = await downloadFile(api, withQuery('/api/v1/audit/export', { format, ...auditParams(filters) }), `audit.${format}`);
      setState({ kind: 'done', ...saved });
    } catch (e) {
      setState({ kind: 'failed', message: (e as Error).message });
    }
  };
  return (
    <div className="panel" style={{ flex: 1, minWidth: '18rem' }} aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p className="field-hint">{filtered ? 'The events matching the applied filters.' : 'The whole history.'} Downloaded with your sign-in, so the file is saved from this page.</p>
      <FormField label="Format">
        {(props) => (
          <select {...props} value={format} onChange={(e) => setFormat(e.target.value as 'jsonl' | 'csv')}>
            <option value="jsonl">JSON Lines (.jsonl)</option>
            <option value="csv">CSV (.csv)</option>
          </select>
        )}
      </FormField>
      <div aria-live="polite">
        {state.kind === 'failed' && <ErrorMessage message={state.message} />}
        {state.kind === 'done' && <p className="field-hint" role="status">Saved {state.name} ({formatBytes(state.size)}).</p>}
      </div>
      <button type="button" onClick={run} disabled={state.kind === 'running'}>{state.kind === 'running' ? 'Exporting…' : 'Export'}</button>
    </div>
  );
}
