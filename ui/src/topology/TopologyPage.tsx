import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useApp } from '../app/context';
import { useDocumentTitle } from '../app/hooks';
import { Link } from '../app/router';
import { openEventStream, type StreamState } from '../api/eventStream';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../components/common';
import { LEGEND } from './legend';
import { detailsOf, type Topology } from './model';
import { TopologyList } from './TopologyList';

// cytoscape is large and only this screen needs it.
const TopologyGraph = lazy(() => import('./TopologyGraph'));

export type TopologyView = 'graph' | 'list';

/** Admins: clusters → agents → blueprints → workspaces, as a live graph or as lists. */
export function TopologyPage({ initialView = 'graph' }: { initialView?: TopologyView }) {
  const { api } = useApp();
  useDocumentTitle('Topology');
  const [topology, setTopology] = useState<Topology | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [view, setView] = useState<TopologyView>(initialView);
  const [selected, setSelected] = useState<string | null>(null);
  const [arrangeKey, setArrangeKey] = useState(0);

  const load = useCallback(async () => {
    try {
      setTopology(await api.get<Topology>('/api/v1/admin/topology'));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api]);

  useEffect(() => { void load(); }, [load]);

  // Every event carries the whole graph; the portal sends one only when it changed.
  useEffect(() => openEventStream({
    client: api,
    path: '/api/v1/admin/topology/events',
    onEvent: (event) => {
      if (event.event !== 'topology') return;
      setTopology(JSON.parse(event.data) as Topology);
      setError(null);
    },
    onState: setStream,
  }), [api]);

  const details = topology && selected ? detailsOf(topology, selected) : null;
  const empty = topology !== null && topology.clusters.length === 0 && topology.blueprints.length === 0
    && topology.workspaces.length === 0;

  return (
    <section className="topology">
      <PageHeader title="Topology">
        <LiveIndicator state={stream} />
        <div className="tabs" role="group" aria-label="View">
          <button type="button" className={view === 'graph' ? '' : 'button-secondary'} aria-pressed={view === 'graph'}
            onClick={() => setView('graph')}>Graph</button>
          <button type="button" className={view === 'list' ? '' : 'button-secondary'} aria-pressed={view === 'list'}
            onClick={() => setView('list')}>List</button>
        </div>
        {view === 'graph' && topology && !empty && (
          <button type="button" className="button-secondary" onClick={() => setArrangeKey((k) => k + 1)}>Re-arrange</button>
        )}
      </PageHeader>
      <p className="lead">Clusters, the agents that connect them, the blueprints pinned to them and the workspaces launched from those blueprints. Changes appear as they happen.</p>
      {error && <ErrorMessage message={error} onRetry={() => void load()} />}
      {!topology && !error && <Spinner label="Loading the topology…" />}
      {empty && (
        <EmptyState title="Nothing to show yet">
          <p>
            The topology starts with a cluster. <Link href="/admin/clusters">Register a cluster</Link> and start its
            agent; then <Link href="/admin/blueprints">create a blueprint</Link> for it.
          </p>
        </EmptyState>
      )}
      {topology && !empty && (
        <div className="topology-body">
          <div className="topology-main">
            {view === 'graph' ? (
              <>
                <Suspense fallback={<Spinner label="Loading the graph…" />}>
                  <TopologyGraph topology={topology} selected={selected} onSelect={setSelected} arrangeKey={arrangeKey} />
                </Suspense>
                <Legend />
              </>
            ) : (
              <TopologyList topology={topology} selected={selected} onSelect={setSelected} />
            )}
          </div>
          <aside className="topology-details panel" aria-label="Details" aria-live="polite">
            {details ? (
              <>
                <p className="muted topology-kind">{details.kind}</p>
                <h2>{details.title}</h2>
                <dl>
                  {details.fields.map(([label, value]) => (
                    <div key={label}><dt>{label}</dt><dd>{value}</dd></div>
                  ))}
                </dl>
                <button type="button" className="button-secondary" onClick={() => setSelected(null)}>Close</button>
              </>
            ) : (
              <p className="muted">{selected ? 'This item is gone.' : `Select a ${view === 'graph' ? 'node' : 'name'} to see its details.`}</p>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}

function Legend() {
  return (
    <ul className="topology-legend" aria-label="Legend">
      {LEGEND.map((entry) => (
        <li key={entry.label}>
          <span className={`legend-shape legend-shape-${entry.shape}${entry.dashed ? ' legend-dashed' : ''}`}
            style={{ background: entry.colour }} aria-hidden="true" />
          {entry.label}
        </li>
      ))}
      <li><span className="legend-edge legend-dashed" aria-hidden="true" />Workspace placed on a cluster its blueprint does not pin</li>
    </ul>
  );
}

function LiveIndicator({ state }: { state: StreamState }) {
  const text = state === 'live' ? 'Live' : state === 'stopped' ? 'Not updating' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" title="Changes appear here as they happen">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
