import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle, useLoad } from '../app/hooks';
import type { Cluster, ListResponse, RegisteredCluster } from '../api/types';
import { CopyButton, EmptyState, ErrorMessage, PageHeader, RelativeTime, Spinner } from '../components/common';
import { validateWorkspaceName } from '../workspaces/name';
import { agentCommand } from './agentCommand';

/** Admins: clusters and their agents; registering a cluster shows its join token once. */
export function ClustersPage() {
  const { api } = useApp();
  useDocumentTitle('Clusters');
  const [clusters, reload] = useLoad((signal) => api.get<ListResponse<Cluster>>('/api/v1/clusters', signal));
  const [registered, setRegistered] = useState<RegisteredCluster | null>(null);
  // The token exists nowhere else: a renewal round trip now would lose it for good.
  useBusyWhile(registered !== null, 'join token shown');

  return (
    <section>
      <PageHeader title="Clusters">
        <button type="button" className="button-secondary" onClick={reload}>Refresh</button>
      </PageHeader>
      <p className="lead">Workspaces run on clusters. An agent on each cluster dials out to this portal; the cluster opens no inbound port.</p>
      {registered && <JoinToken registered={registered} onDone={() => { setRegistered(null); reload(); }} />}
      {!registered && <RegisterCluster onRegistered={setRegistered} />}
      <h2>Registered clusters</h2>
      {clusters.state === 'loading' && <Spinner label="Loading clusters…" />}
      {clusters.state === 'failed' && <ErrorMessage message={clusters.message} onRetry={reload} />}
      {clusters.state === 'loaded' && clusters.value.items.length === 0 && (
        <EmptyState title="No clusters yet">
          <p>Register a cluster above, then start an agent on it with the command shown.</p>
        </EmptyState>
      )}
      {clusters.state === 'loaded' && clusters.value.items.length > 0 && (
        <ul className="cards">
          {clusters.value.items.map((cluster) => (
            <li key={cluster.id} className="card">
              <h3>{cluster.name}</h3>
              <p className="muted"><code>{cluster.id}</code> · registered <RelativeTime iso={cluster.registeredAt} /></p>
              {cluster.agents.length === 0 ? (
                <p>No agent has joined yet. Run the agent command with this cluster's join token.</p>
              ) : (
                <ul className="agents">
                  {cluster.agents.map((agent) => (
                    <li key={agent.agentId}>
                      <span className={`badge ${agent.connected ? 'badge-ok' : 'badge-bad'}`}>
                        {agent.connected ? 'Connected' : 'Disconnected'}
                      </span>{' '}
                      <strong>{agent.hostname ?? agent.agentId}</strong>
                      <span className="muted">
                        {agent.runtime && <> · {agent.runtime} runtime</>}
                        {agent.protocolVersion && <> · protocol {agent.protocolVersion}</>}
                        {agent.lastChangeAt && <> · since <RelativeTime iso={agent.lastChangeAt} /></>}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RegisterCluster({ onRegistered }: { onRegistered: (r: RegisteredCluster) => void }) {
  const { api } = useApp();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idInput = useId();
  const idNote = useId();
  const nameInput = useId();
  useBusyWhile(id !== '' || name !== '' || saving, 'register cluster form');
  const idProblem = validateWorkspaceName(id);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (idProblem) return;
    setSaving(true);
    setError(null);
    try {
      const registered = await api.post<RegisteredCluster>('/api/v1/clusters', { id, name: name.trim() || id });
      setId('');
      setName('');
      setSubmitted(false);
      onRegistered(registered);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="register-title">
      <h2 id="register-title">Register a cluster</h2>
      <div className="row">
        <div className="field">
          <label htmlFor={idInput}>Cluster id</label>
          <input id={idInput} value={id} onChange={(e) => setId(e.target.value)} autoComplete="off" spellCheck={false}
            aria-invalid={submitted && idProblem ? true : undefined} aria-describedby={idNote} placeholder="prod-eu" />
          <p id={idNote} className={submitted && idProblem ? 'field-error' : 'field-hint'}>
            {(submitted && idProblem) || "Lower-case letters, digits and '-'; it cannot be changed later."}
          </p>
        </div>
        <div className="field">
          <label htmlFor={nameInput}>Display name</label>
          <input id={nameInput} value={name} onChange={(e) => setName(e.target.value)} placeholder="Production EU" />
        </div>
      </div>
      {error && <ErrorMessage message={error} />}
      <div className="form-actions">
        <button type="submit" disabled={saving}>{saving ? 'Registering…' : 'Register cluster'}</button>
      </div>
    </form>
  );
}

function JoinToken({ registered, onDone }: { registered: RegisteredCluster; onDone: () => void }) {
  const command = agentCommand(window.location.hostname, registered.joinToken);
  return (
    <div className="panel panel-warning" role="region" aria-labelledby="token-title">
      <h2 id="token-title">Cluster {registered.id} registered: copy its join token now</h2>
      <p>This is the only time the token is shown; the portal keeps only a hash of it. It can be used once.</p>
      <div className="secret">
        <code data-testid="join-token">{registered.joinToken}</code>
        <CopyButton text={registered.joinToken} label="Copy token" />
      </div>
      <p>On a host of the cluster, start the agent (use your gateway's address if it is not this host, port 9443 unless configured otherwise):</p>
      <div className="secret">
        <pre><code>{command}</code></pre>
        <CopyButton text={command} label="Copy command" />
      </div>
      <button type="button" onClick={onDone}>I have saved it</button>
    </div>
  );
}
