/**
 * The topology as nested lists: the same data as the graph, readable by screen readers and by
 * keyboard. Every entry is a button that opens the same details as clicking its node.
 */
import { StatusBadge } from '../components/common';
import { nodeId, type Topology, type TopologyWorkspace } from './model';

export function TopologyList({ topology, selected, onSelect }: {
  topology: Topology;
  selected: string | null;
  onSelect(id: string): void;
}) {
  const item = (id: string, label: string) => (
    <button type="button" className="node-button" aria-pressed={selected === id} onClick={() => onSelect(id)}>{label}</button>
  );
  const workspaceItems = (workspaces: TopologyWorkspace[]) => workspaces.map((w) => (
    <li key={w.id} data-node={nodeId('workspace', w.id)}>
      {item(nodeId('workspace', w.id), w.name)} <StatusBadge status={w.status} /> <span className="muted">{w.owner}</span>
    </li>
  ));
  const unpinned = topology.blueprints.filter((b) => !b.clusterId);
  const knownBlueprints = new Set(topology.blueprints.map((b) => b.id));
  return (
    <div className="topology-list">
      {topology.clusters.map((cluster) => {
        const blueprints = topology.blueprints.filter((b) => b.clusterId === cluster.id);
        // Workspaces here whose blueprint does not list them under this cluster.
        const elsewhere = topology.workspaces.filter((w) => w.clusterId === cluster.id
          && !blueprints.some((b) => b.id === w.blueprintId));
        return (
          <section key={cluster.id} className="card" aria-label={`Cluster ${cluster.name}`} data-node={nodeId('cluster', cluster.id)}>
            <h3>{item(nodeId('cluster', cluster.id), cluster.name || cluster.id)}</h3>
            <h4>Agents</h4>
            {cluster.agents.length === 0 ? <p className="muted">No agent has joined.</p> : (
              <ul>
                {cluster.agents.map((a) => (
                  <li key={a.id} data-node={nodeId('agent', a.id)}>
                    {item(nodeId('agent', a.id), a.hostname ?? a.id)}{' '}
                    <span className={`badge ${a.connected ? 'badge-ok' : 'badge-bad'}`}>{a.connected ? 'Connected' : 'Disconnected'}</span>
                  </li>
                ))}
              </ul>
            )}
            <h4>Blueprints</h4>
            {blueprints.length === 0 ? <p className="muted">No blueprint is pinned to this cluster.</p> : (
              <ul>
                {blueprints.map((b) => {
                  const workspaces = topology.workspaces.filter((w) => w.blueprintId === b.id && w.clusterId === cluster.id);
                  return (
                    <li key={b.id} data-node={nodeId('blueprint', b.id)}>
                      {item(nodeId('blueprint', b.id), b.name)}
                      {workspaces.length > 0 && <ul>{workspaceItems(workspaces)}</ul>}
                    </li>
                  );
                })}
              </ul>
            )}
            {elsewhere.length > 0 && (
              <>
                <h4>Other workspaces on this cluster</h4>
                <ul>
                  {elsewhere.map((w) => (
                    <li key={w.id} data-node={nodeId('workspace', w.id)}>
                      {item(nodeId('workspace', w.id), w.name)} <StatusBadge status={w.status} />{' '}
                      <span className="muted">
                        {w.owner} · from {knownBlueprints.has(w.blueprintId)
                          ? topology.blueprints.find((b) => b.id === w.blueprintId)!.name
                          : w.blueprintId}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        );
      })}
      {unpinned.length > 0 && (
        <section className="card" aria-label="Blueprints for the default cluster">
          <h3>Blueprints for the default cluster</h3>
          <ul>
            {unpinned.map((b) => <li key={b.id} data-node={nodeId('blueprint', b.id)}>{item(nodeId('blueprint', b.id), b.name)}</li>)}
          </ul>
        </section>
      )}
    </div>
  );
}
