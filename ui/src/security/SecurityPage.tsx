import { useEffect, useId, useMemo, useState } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle, useLoad, usePolling } from '../app/hooks';
import { usePaged } from '../app/paged';
import { Link, type SecurityTab } from '../app/router';
import { identityKey, withQuery } from '../api/paging';
import type { Connection, Firewall, FirewallAction, FirewallBlock, ListResponse } from '../api/types';
import { EmptyState, ErrorMessage, formatBytes, LoadMore, Notice, PageHeader, Spinner, Timestamp } from '../components/common';
import {
  draftsFrom, evaluate, hasErrors, newDraft, precedence, removeDraft, rulesToSend, sameRules, updateDraft,
  validateRules, type RuleDraft,
} from './firewall';
import { ACTIVE_REFRESH_MS, describeConnection, durationOf } from './sessions';

const TABS: { tab: SecurityTab; label: string }[] = [
  { tab: 'sessions', label: 'Sessions' },
  { tab: 'firewall', label: 'Firewall rules' },
  { tab: 'blocked', label: 'Blocked attempts' },
];

/** Admins: who is connected to which workspace, the firewall, and what it refused. */
export function SecurityPage({ tab }: { tab: SecurityTab }) {
  useDocumentTitle('Security Center');
  return (
    <section>
      <PageHeader title="Security Center" />
      <nav className="subnav" aria-label="Security Center">
        {TABS.map((t) => (
          <Link key={t.tab} href={`/admin/security/${t.tab}`} aria-current={t.tab === tab ? 'page' : undefined}>{t.label}</Link>
        ))}
      </nav>
      {tab === 'sessions' && <Sessions />}
      {tab === 'firewall' && <FirewallEditor />}
      {tab === 'blocked' && <BlockedAttempts />}
    </section>
  );
}

const connectionKey = (c: Connection) => c.id;

function useConnections(state: 'active' | 'closed') {
  const { api } = useApp();
  return usePaged(
    (cursor, signal) => api.get<ListResponse<Connection>>(
      withQuery('/api/v1/security/sessions', { state, limit: 100, cursor }), signal),
    connectionKey,
    [state],
  );
}

function Sessions() {
  const active = useConnections('active');
  const closed = useConnections('closed');
  const [auto, setAuto] = useState(true);
  const [refreshedAt, setRefreshedAt] = useState(() => new Date());
  const { reload: reloadActive } = active;
  const refresh = useMemo(() => () => { reloadActive(); setRefreshedAt(new Date()); }, [reloadActive]);
  usePolling(refresh, ACTIVE_REFRESH_MS, auto);
  const autoId = useId();

  return (
    <>
      <div className="page-header">
        <h2 id="active-title">Active sessions</h2>
        <div className="page-actions">
          <span className={`live ${auto ? 'live-live' : 'live-stopped'}`} role="status">
            <span className="live-dot" aria-hidden="true" />
            {auto ? `Refreshing every ${ACTIVE_REFRESH_MS / 1000} s` : 'Paused'} · updated {refreshedAt.toLocaleTimeString()}
          </span>
          <label className="check" htmlFor={autoId}>
            <input id={autoId} type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
            Auto-refresh
          </label>
          <button type="button" className="button-secondary" onClick={refresh} aria-label="Refresh active sessions">Refresh</button>
        </div>
      </div>
      <p className="lead">Terminals and previews open right now. Closing a workspace's terminal or its preview tab ends its session.</p>
      <ConnectionTable label="Active sessions" paged={active} closed={false} />
      <div className="page-header">
        <h2>Closed sessions</h2>
        <div className="page-actions">
          <button type="button" className="button-secondary" onClick={closed.reload} aria-label="Refresh closed sessions">Refresh</button>
        </div>
      </div>
      <ConnectionTable label="Closed sessions" paged={closed} closed />
    </>
  );
}

function ConnectionTable({ label, paged, closed }: {
  label: string;
  paged: ReturnType<typeof useConnections>;
  closed: boolean;
}) {
  const { result, loadMore, reload } = paged;
  if (result.state === 'loading') return <Spinner label={`Loading ${label.toLowerCase()}…`} />;
  if (result.state === 'failed') return <ErrorMessage message={result.message} onRetry={reload} />;
  if (result.list.items.length === 0) {
    return <EmptyState title={closed ? 'No closed sessions yet' : 'Nobody is connected'}><p>{closed ? 'Sessions show here once they end.' : 'Open terminals and previews show here.'}</p></EmptyState>;
  }
  return (
    <>
      <div className="table-wrap">
        <table className="table" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">User</th>
              <th scope="col">Client address</th>
              <th scope="col">Workspace</th>
              <th scope="col">Opened</th>
              {closed && <th scope="col">Closed</th>}
              <th scope="col">Duration</th>
              <th scope="col" className="num">In / out</th>
            </tr>
          </thead>
          <tbody>
            {result.list.items.map((c) => (
              <tr key={c.id} data-connection={c.id} data-type={c.type} data-workspace={c.workspaceId ?? ''}>
                <td>{describeConnection(c)}</td>
                <td>{c.user ?? <span className="muted">unknown</span>}</td>
                <td><code>{c.clientIp ?? '—'}</code></td>
                <td>{c.workspaceId ? <Link href={`/workspaces/${encodeURIComponent(c.workspaceId)}`}><code>{c.workspaceId}</code></Link> : '—'}</td>
                <td><Timestamp iso={c.openedAt} /></td>
                {closed && <td><Timestamp iso={c.closedAt} />{c.closeReason && <div className="reason">{c.closeReason}</div>}</td>}
                <td>{durationOf(c)}</td>
                <td className="num">
                  {formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}
                  {c.requests !== null && c.requests !== undefined && <div className="reason">{c.requests} requests</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
        onMore={loadMore} what="sessions" shown={result.list.items.length} />
    </>
  );
}

function PrecedenceExplained() {
  return (
    <div className="explain" role="note" aria-label="How the rules are applied">
      <p><strong>How the rules decide.</strong> The order of the list does not matter:</p>
      <ol>
        <li>With no rules, every address may connect.</li>
        <li>Otherwise the <em>most specific</em> rule that matches the address decides (the longest prefix: a /32 beats a /24, which beats a /8).</li>
        <li>If a deny and an allow rule name the same network size, deny wins.</li>
        <li>An address no rule matches is allowed only while there is no allow rule at all. <strong>One allow rule turns the firewall into an allow list</strong>: everything it does not allow is refused.</li>
      </ol>
      <p className="field-hint">The firewall guards terminals and previews; IPv4 rules match IPv4 addresses, IPv6 rules IPv6 addresses.</p>
    </div>
  );
}

function FirewallEditor() {
  const { api } = useApp();
  const [saved, reload, setSaved] = useLoad((signal) => api.get<Firewall>('/api/v1/security/firewall', signal));
  const [drafts, setDrafts] = useState<RuleDraft[] | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [probe, setProbe] = useState('');
  const probeId = useId();
  const probeNote = useId();

  useEffect(() => {
    if (saved.state === 'loaded' && drafts === null) setDrafts(draftsFrom(saved.value.rules));
  }, [saved, drafts]);
  const dirty = drafts !== null && saved.state === 'loaded' && !sameRules(drafts, saved.value.rules);
  useBusyWhile(dirty || saving, 'firewall rules');

  if (saved.state === 'loading' || (saved.state === 'loaded' && drafts === null)) return <Spinner label="Loading the firewall…" />;
  if (saved.state === 'failed') return <ErrorMessage message={saved.message} onRetry={reload} />;
  const rows = drafts ?? [];
  const errors = validateRules(rows);
  const shownErrors = submitted ? errors : { rows: {}, all: null };
  const order = precedence(rows);
  const verdict = probe.trim() ? evaluate(rows, probe) : null;

  const change = (next: RuleDraft[]) => {
    setDrafts(next);
    setNotice(null);
  };
  const save = async () => {
    setSubmitted(true);
    if (hasErrors(errors)) return;
    setSaving(true);
    setError(null);
    try {
      const answer = await api.put<Firewall>('/api/v1/security/firewall', { rules: rulesToSend(rows) });
      setSaved({ state: 'loaded', value: answer });
      setDrafts(draftsFrom(answer.rules));
      setSubmitted(false);
      setNotice(answer.rules.length === 0 ? 'Firewall saved: no rules, every address may connect.'
        : `Firewall saved: ${answer.rules.length} rule${answer.rules.length === 1 ? '' : 's'} in force.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PrecedenceExplained />
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      <form className="form" onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate aria-label="Firewall rules">
        {rows.length === 0 ? (
          <p className="field-hint">No rules: every address may connect. Add one to start.</p>
        ) : (
          <div role="list" aria-label="Rules">
            <div className="rule-row rule-head" aria-hidden="true"><span>Action</span><span>Network</span><span>Note</span><span /></div>
            {rows.map((rule, i) => {
              const rowError = shownErrors.rows[rule.key];
              const errorId = `rule-error-${rule.key}`;
              const rank = order.indexOf(i);
              return (
                <div role="listitem" className="rule-row" key={rule.key} data-rule={rule.cidr.trim()}
                  data-highlight={verdict && typeof verdict !== 'string' && verdict.rule === i ? 'true' : undefined}>
                  <select aria-label={`Action of rule ${i + 1}`} value={rule.action}
                    onChange={(e) => change(updateDraft(rows, rule.key, { action: e.target.value as FirewallAction }))}>
                    <option value="deny">Deny</option>
                    <option value="allow">Allow</option>
                  </select>
                  <input aria-label={`Network of rule ${i + 1}`} value={rule.cidr} placeholder="10.0.0.0/8" spellCheck={false}
                    autoComplete="off" aria-invalid={rowError ? true : undefined} aria-describedby={rowError ? errorId : undefined}
                    onChange={(e) => change(updateDraft(rows, rule.key, { cidr: e.target.value }))} />
                  <input aria-label={`Note of rule ${i + 1}`} value={rule.note} placeholder="Why it exists"
                    onChange={(e) => change(updateDraft(rows, rule.key, { note: e.target.value }))} />
                  <button type="button" className="button-secondary" aria-label={`Remove rule ${i + 1}${rule.cidr ? ` (${rule.cidr.trim()})` : ''}`}
                    onClick={() => change(removeDraft(rows, rule.key))}>Remove</button>
                  {rowError && <p id={errorId} className="field-error">{rowError}</p>}
                  {!rowError && rank >= 0 && rows.length > 1 && (
                    <p className="field-hint rule-rank">Consulted {ordinal(rank + 1)}</p>
                  )}
                </div>
              );
            })}
          </div>
        )}
        {shownErrors.all && <p className="field-error">{shownErrors.all}</p>}
        <div className="form-actions" style={{ justifyContent: 'space-between' }}>
          <div className="row-actions">
            <button type="button" className="button-secondary" onClick={() => change([...rows, newDraft('deny')])}>Add deny rule</button>
            <button type="button" className="button-secondary" onClick={() => change([...rows, newDraft('allow')])}>Add allow rule</button>
          </div>
          <div className="row-actions">
            <button type="button" className="button-secondary" disabled={!dirty || saving}
              onClick={() => { setDrafts(draftsFrom(saved.value.rules)); setSubmitted(false); setError(null); }}>Discard changes</button>
            <button type="submit" disabled={!dirty || saving}>{saving ? 'Saving…' : 'Save rules'}</button>
          </div>
        </div>
        {error && <ErrorMessage message={error} />}
        {dirty && !error && <p className="field-hint" role="status">Unsaved changes: the portal still applies the saved rules.</p>}
      </form>
      <div className="panel">
        <h2>Check an address</h2>
        <p className="field-hint">What these rules (including unsaved changes) decide for one address.</p>
        <div className="field">
          <label htmlFor={probeId}>Address</label>
          <input id={probeId} value={probe} onChange={(e) => setProbe(e.target.value)} placeholder="203.0.113.7"
            spellCheck={false} autoComplete="off" aria-describedby={probeNote} />
        </div>
        <p id={probeNote} aria-live="polite"
          className={verdict === null ? 'field-hint' : typeof verdict === 'string' ? 'field-error' : `verdict ${verdict.allowed ? 'verdict-ok' : 'verdict-bad'}`}>
          {verdict === null ? 'Type an IPv4 or IPv6 address.'
            : typeof verdict === 'string' ? verdict
              : <><strong>{verdict.allowed ? 'Allowed.' : 'Refused.'}</strong> {verdict.reason}</>}
        </p>
      </div>
    </>
  );
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

function BlockedAttempts() {
  const { api } = useApp();
  const { result, loadMore, reload } = usePaged(
    (cursor, signal) => api.get<ListResponse<FirewallBlock>>(
      withQuery('/api/v1/security/firewall/events', { limit: 50, cursor }), signal),
    identityKey,
  );
  return (
    <>
      <div className="page-header">
        <h2>Blocked attempts</h2>
        <div className="page-actions"><button type="button" className="button-secondary" onClick={reload}>Refresh</button></div>
      </div>
      <p className="lead">Connections the firewall refused, newest first.</p>
      {result.state === 'loading' && <Spinner label="Loading blocked attempts…" />}
      {result.state === 'failed' && <ErrorMessage message={result.message} onRetry={reload} />}
      {result.state === 'loaded' && result.list.items.length === 0 && (
        <EmptyState title="Nothing blocked"><p>The firewall has refused no connection.</p></EmptyState>
      )}
      {result.state === 'loaded' && result.list.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" aria-label="Blocked attempts">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Client address</th>
                  <th scope="col">User</th>
                  <th scope="col">Target</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {result.list.items.map((b) => (
                  <tr key={identityKey(b)}>
                    <td><Timestamp iso={b.at} /></td>
                    <td><code>{b.clientIp ?? '—'}</code></td>
                    <td>{b.user ?? <span className="muted">not signed in</span>}</td>
                    <td>{b.target ? <code>{b.target}</code> : '—'}</td>
                    <td>
                      {b.rule ? <><span className="badge badge-bad">{b.rule.action}</span> <code>{b.rule.cidr}</code>{b.rule.note && <span className="muted"> · {b.rule.note}</span>}</>
                        : <span>{b.reason ?? 'No allow rule matches'}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
            onMore={loadMore} what="attempts" shown={result.list.items.length} />
        </>
      )}
    </>
  );
}
