/**
 * The topology document of `GET /api/v1/admin/topology` and its conversion into graph elements.
 * Pure (no cytoscape import), so it is tested without a canvas and stays out of the lazy chunk's way.
 */
import type { WorkspaceStatus } from '../api/types';
import { labelOf, toneOf } from '../workspaces/status';

export interface TopologyAgent {
  id: string;
  hostname: string | null;
  connected: boolean;
  protocolVersion: string | null;
  runtime: string | null;
  lastSeen: string | null;
}

export interface TopologyCluster {
  id: string;
  name: string;
  registeredAt: string | null;
  agents: TopologyAgent[];
}

export interface TopologyBlueprint {
  id: string;
  name: string;
  /** Null: not pinned, workspaces go to the default cluster. */
  clusterId: string | null;
}

export interface TopologyWorkspace {
  id: string;
  name: string;
  owner: string;
  status: WorkspaceStatus;
  statusReason: string | null;
  blueprintId: string;
  clusterId: string;
}

export interface Topology {
  clusters: TopologyCluster[];
  blueprints: TopologyBlueprint[];
  workspaces: TopologyWorkspace[];
}

export type NodeKind = 'cluster' | 'agent' | 'blueprint' | 'workspace';

export interface NodeData {
  id: string;
  kind: NodeKind;
  /** The id in the portal (cluster id, agent id, …), without the kind prefix. */
  ref: string;
  label: string;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
}

export interface GraphElement {
  group: 'nodes' | 'edges';
  data: NodeData | EdgeData;
  /** Space-separated, as cytoscape takes them. */
  classes: string;
}

export const nodeId = (kind: NodeKind, ref: string): string => `${kind}:${ref}`;
const edgeId = (source: string, target: string): string => `${source}->${target}`;

/** Layer of each kind in the layered layout, top to bottom. */
export const LAYERS: Record<NodeKind, number> = { cluster: 0, agent: 1, blueprint: 2, workspace: 3 };

/**
 * Nodes for clusters, agents, blueprints and workspaces; edges cluster → agent, cluster →
 * blueprint (pinned ones), blueprint → workspace, and cluster → workspace ("placed on") when the
 * workspace's cluster is not already reached through its blueprint. Edges to nodes the document does
 * not hold (a workspace of a since-removed blueprint) are left out rather than dangling.
 */
export function toElements(topology: Topology): GraphElement[] {
  const nodes: GraphElement[] = [];
  const edges: GraphElement[] = [];
  const present = new Set<string>();
  const node = (kind: NodeKind, ref: string, label: string, classes: string[]) => {
    const id = nodeId(kind, ref);
    present.add(id);
    nodes.push({ group: 'nodes', data: { id, kind, ref, label }, classes: [kind, ...classes].join(' ') });
  };
  const edge = (source: string, target: string, classes: string) => {
    if (present.has(source) && present.has(target)) {
      edges.push({ group: 'edges', data: { id: edgeId(source, target), source, target }, classes });
    }
  };
  for (const cluster of topology.clusters) {
    node('cluster', cluster.id, cluster.name || cluster.id, []);
    for (const agent of cluster.agents) {
      node('agent', agent.id, agent.hostname ?? agent.id, [agent.connected ? 'connected' : 'disconnected']);
    }
  }
  const pinned = new Map<string, string | null>();
  for (const blueprint of topology.blueprints) {
    pinned.set(blueprint.id, blueprint.clusterId);
    node('blueprint', blueprint.id, blueprint.name || blueprint.id, [blueprint.clusterId ? 'pinned' : 'unpinned']);
  }
  for (const workspace of topology.workspaces) {
    node('workspace', workspace.id, workspace.name || workspace.id,
      [`status-${workspace.status.toLowerCase()}`, `tone-${toneOf(workspace.status)}`]);
  }
  for (const cluster of topology.clusters) {
    for (const agent of cluster.agents) {
      edge(nodeId('cluster', cluster.id), nodeId('agent', agent.id), 'has-agent');
    }
  }
  for (const blueprint of topology.blueprints) {
    if (blueprint.clusterId) edge(nodeId('cluster', blueprint.clusterId), nodeId('blueprint', blueprint.id), 'pins');
  }
  for (const workspace of topology.workspaces) {
    const target = nodeId('workspace', workspace.id);
    edge(nodeId('blueprint', workspace.blueprintId), target, 'from-blueprint');
    const viaBlueprint = present.has(nodeId('blueprint', workspace.blueprintId))
      && pinned.get(workspace.blueprintId) === workspace.clusterId;
    if (!viaBlueprint) edge(nodeId('cluster', workspace.clusterId), target, 'placed-on');
  }
  return [...nodes, ...edges];
}

export interface ElementDiff {
  add: GraphElement[];
  /** Ids of elements to remove. */
  remove: string[];
  /** Elements whose label or classes changed; their position stays. */
  update: GraphElement[];
}

/** What turns the graph showing `previous` into one showing `next`, by element id. */
export function diffElements(previous: GraphElement[], next: GraphElement[]): ElementDiff {
  const before = new Map(previous.map((e) => [e.data.id, e]));
  const after = new Map(next.map((e) => [e.data.id, e]));
  const add: GraphElement[] = [];
  const update: GraphElement[] = [];
  for (const [id, element] of after) {
    const old = before.get(id);
    if (!old) {
      add.push(element);
    } else if (old.classes !== element.classes || JSON.stringify(old.data) !== JSON.stringify(element.data)) {
      update.push(element);
    }
  }
  const remove = [...before.keys()].filter((id) => !after.has(id));
  return { add, remove, update };
}

export function isEmpty(diff: ElementDiff): boolean {
  return diff.add.length === 0 && diff.remove.length === 0 && diff.update.length === 0;
}

/** What the side panel shows about one node: label/value pairs, in order. */
export interface NodeDetails {
  kind: NodeKind;
  title: string;
  fields: Array<[string, string]>;
}

export function detailsOf(topology: Topology, id: string): NodeDetails | null {
  const [kind, ...rest] = id.split(':');
  const ref = rest.join(':');
  if (kind === 'cluster') {
    const cluster = topology.clusters.find((c) => c.id === ref);
    if (!cluster) return null;
    const connected = cluster.agents.filter((a) => a.connected).length;
    return {
      kind, title: cluster.name || cluster.id, fields: [
        ['Id', cluster.id],
        ['Agents', `${cluster.agents.length} (${connected} connected)`],
        ['Blueprints', String(topology.blueprints.filter((b) => b.clusterId === cluster.id).length)],
        ['Workspaces', String(topology.workspaces.filter((w) => w.clusterId === cluster.id).length)],
        ...(cluster.registeredAt ? [['Registered', cluster.registeredAt] as [string, string]] : []),
      ],
    };
  }
  if (kind === 'agent') {
    for (const cluster of topology.clusters) {
      const agent = cluster.agents.find((a) => a.id === ref);
      if (!agent) continue;
      return {
        kind, title: agent.hostname ?? agent.id, fields: [
          ['Id', agent.id],
          ['Cluster', cluster.name || cluster.id],
          ['State', agent.connected ? 'Connected' : 'Disconnected'],
          ['Runtime', agent.runtime ?? '—'],
          ['Protocol', agent.protocolVersion ?? '—'],
          ['Last change', agent.lastSeen ?? '—'],
        ],
      };
    }
    return null;
  }
  if (kind === 'blueprint') {
    const blueprint = topology.blueprints.find((b) => b.id === ref);
    if (!blueprint) return null;
    return {
      kind, title: blueprint.name || blueprint.id, fields: [
        ['Id', blueprint.id],
        ['Cluster', blueprint.clusterId ? clusterName(topology, blueprint.clusterId) : 'Default cluster'],
        ['Workspaces', String(topology.workspaces.filter((w) => w.blueprintId === blueprint.id).length)],
      ],
    };
  }
  if (kind === 'workspace') {
    const workspace = topology.workspaces.find((w) => w.id === ref);
    if (!workspace) return null;
    return {
      kind, title: workspace.name || workspace.id, fields: [
        ['Id', workspace.id],
        ['Owner', workspace.owner],
        ['Status', labelOf(workspace.status)],
        ...(workspace.statusReason ? [['Reason', workspace.statusReason] as [string, string]] : []),
        ['Blueprint', topology.blueprints.find((b) => b.id === workspace.blueprintId)?.name ?? workspace.blueprintId],
        ['Cluster', clusterName(topology, workspace.clusterId)],
      ],
    };
  }
  return null;
}

function clusterName(topology: Topology, id: string): string {
  return topology.clusters.find((c) => c.id === id)?.name ?? id;
}

export interface Position {
  x: number;
  y: number;
}

export const GAP_X = 150;
export const GAP_Y = 130;

/**
 * A layered layout: clusters on top, then agents, blueprints and workspaces, each row centred and
 * ordered so that children sit in the order of their parents (agents by cluster, blueprints by the
 * cluster they pin, workspaces by blueprint), which keeps edges from crossing more than needed.
 */
export function layeredPositions(topology: Topology): Map<string, Position> {
  const clusterIndex = new Map(topology.clusters.map((c, i) => [c.id, i]));
  const byCluster = (id: string | null) => (id !== null && clusterIndex.has(id) ? clusterIndex.get(id)! : Infinity);
  const stable = <T,>(items: T[], key: (item: T) => number) => items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => (a.k === b.k ? a.i - b.i : a.k < b.k ? -1 : 1))
    .map(({ item }) => item);
  const blueprints = stable(topology.blueprints, (b) => byCluster(b.clusterId));
  const blueprintIndex = new Map(blueprints.map((b, i) => [b.id, i]));
  const workspaces = stable(topology.workspaces,
    (w) => (blueprintIndex.get(w.blueprintId) ?? blueprints.length) * 10_000 + Math.min(byCluster(w.clusterId), 9_999));
  const rows: string[][] = [
    topology.clusters.map((c) => nodeId('cluster', c.id)),
    topology.clusters.flatMap((c) => c.agents.map((a) => nodeId('agent', a.id))),
    blueprints.map((b) => nodeId('blueprint', b.id)),
    workspaces.map((w) => nodeId('workspace', w.id)),
  ];
  const positions = new Map<string, Position>();
  rows.forEach((row, layer) => {
    row.forEach((id, i) => positions.set(id, { x: (i - (row.length - 1) / 2) * GAP_X, y: layer * GAP_Y }));
  });
  return positions;
}

/**
 * Where nodes new to a graph already on screen go: at the end of their kind's row, right of the
 * rightmost node there, so that nothing already shown moves.
 */
export function appendedPositions(existing: Array<{ kind: NodeKind; position: Position }>,
                                  added: NodeData[]): Map<string, Position> {
  const rightmost = new Map<NodeKind, number>();
  for (const { kind, position } of existing) {
    rightmost.set(kind, Math.max(rightmost.get(kind) ?? -Infinity, position.x));
  }
  const positions = new Map<string, Position>();
  for (const node of added) {
    const x = rightmost.has(node.kind) ? rightmost.get(node.kind)! + GAP_X : 0;
    rightmost.set(node.kind, x);
    positions.set(node.id, { x, y: LAYERS[node.kind] * GAP_Y });
  }
  return positions;
}
