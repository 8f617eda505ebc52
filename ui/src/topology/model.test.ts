import { describe, expect, it } from 'vitest';
import {
  appendedPositions, detailsOf, diffElements, GAP_X, GAP_Y, isEmpty, layeredPositions, toElements,
  type EdgeData, type NodeData, type Topology,
} from './model';

const topology: Topology = {
  clusters: [
    {
      id: 'c1', name: 'Production', registeredAt: '2025-03-01T09:00:00Z', agents: [
        { id: 'a1', hostname: 'prod-1', connected: true, protocolVersion: '1.0', runtime: 'docker', lastSeen: '2025-03-01T09:01:00Z' },
        { id: 'a2', hostname: null, connected: false, protocolVersion: null, runtime: null, lastSeen: '2025-03-01T09:02:00Z' },
      ],
    },
    { id: 'c2', name: 'Dev', registeredAt: null, agents: [] },
  ],
  blueprints: [
    { id: 'bp-any', name: 'Any', clusterId: null },
    { id: 'bp-java', name: 'Java', clusterId: 'c1' },
  ],
  workspaces: [
    { id: 'w1', name: 'api', owner: 'u@example.com', status: 'RUNNING', statusReason: null, blueprintId: 'bp-java', clusterId: 'c1' },
    { id: 'w2', name: 'docs', owner: 'v@example.com', status: 'FAILED', statusReason: 'image missing', blueprintId: 'bp-any', clusterId: 'c2' },
    { id: 'w3', name: 'orphan', owner: 'u@example.com', status: 'STOPPED', statusReason: null, blueprintId: 'bp-gone', clusterId: 'c1' },
  ],
};

const ids = (elements: ReturnType<typeof toElements>, group: 'nodes' | 'edges') =>
  elements.filter((e) => e.group === group).map((e) => e.data.id);

describe('toElements', () => {
  it('makes one node per cluster, agent, blueprint and workspace, ids prefixed by kind', () => {
    const elements = toElements(topology);
    expect(ids(elements, 'nodes')).toEqual([
      'cluster:c1', 'agent:a1', 'agent:a2', 'cluster:c2', 'blueprint:bp-any', 'blueprint:bp-java',
      'workspace:w1', 'workspace:w2', 'workspace:w3',
    ]);
    const a2 = elements.find((e) => e.data.id === 'agent:a2')!;
    expect((a2.data as NodeData).label).toBe('a2'); // no hostname: the id
    expect((a2.data as NodeData).ref).toBe('a2');
  });

  it('classes nodes by kind and state', () => {
    const classes = Object.fromEntries(toElements(topology).filter((e) => e.group === 'nodes').map((e) => [e.data.id, e.classes]));
    expect(classes['cluster:c1']).toBe('cluster');
    expect(classes['agent:a1']).toBe('agent connected');
    expect(classes['agent:a2']).toBe('agent disconnected');
    expect(classes['blueprint:bp-any']).toBe('blueprint unpinned');
    expect(classes['blueprint:bp-java']).toBe('blueprint pinned');
    expect(classes['workspace:w1']).toBe('workspace status-running tone-ok');
    expect(classes['workspace:w2']).toBe('workspace status-failed tone-bad');
    expect(classes['workspace:w3']).toBe('workspace status-stopped tone-idle');
  });

  it('links clusters to agents and pinned blueprints, blueprints to workspaces, clusters to workspaces placed elsewhere', () => {
    const edges = toElements(topology).filter((e) => e.group === 'edges');
    expect(edges.map((e) => [(e.data as EdgeData).source, (e.data as EdgeData).target, e.classes])).toEqual([
      ['cluster:c1', 'agent:a1', 'has-agent'],
      ['cluster:c1', 'agent:a2', 'has-agent'],
      ['cluster:c1', 'blueprint:bp-java', 'pins'],
      ['blueprint:bp-java', 'workspace:w1', 'from-blueprint'],
      ['blueprint:bp-any', 'workspace:w2', 'from-blueprint'],
      ['cluster:c2', 'workspace:w2', 'placed-on'],
      // bp-gone is not in the document: no dangling edge, but the cluster still holds w3.
      ['cluster:c1', 'workspace:w3', 'placed-on'],
    ]);
    expect(new Set(edges.map((e) => e.data.id)).size).toBe(edges.length);
  });

  it('leaves out edges to clusters the document does not hold', () => {
    const elements = toElements({ clusters: [], blueprints: [{ id: 'b', name: 'B', clusterId: 'gone' }], workspaces: [] });
    expect(ids(elements, 'edges')).toEqual([]);
  });
});

describe('diffElements', () => {
  it('adds, removes and updates by id', () => {
    const before = toElements(topology);
    const after = toElements({
      ...topology,
      clusters: [{ ...topology.clusters[0], agents: [{ ...topology.clusters[0].agents[0], connected: false }] }, topology.clusters[1]],
      workspaces: [...topology.workspaces.slice(0, 2), {
        id: 'w4', name: 'new', owner: 'u@example.com', status: 'PROVISIONING', statusReason: null, blueprintId: 'bp-java', clusterId: 'c1',
      }],
    });
    const diff = diffElements(before, after);
    expect(diff.add.map((e) => e.data.id)).toEqual(['workspace:w4', 'blueprint:bp-java->workspace:w4']);
    expect(diff.remove).toEqual(['agent:a2', 'workspace:w3', 'cluster:c1->agent:a2', 'cluster:c1->workspace:w3']);
    expect(diff.update.map((e) => [e.data.id, e.classes])).toEqual([['agent:a1', 'agent disconnected']]);
  });

  it('is empty for the same document', () => {
    expect(isEmpty(diffElements(toElements(topology), toElements(structuredClone(topology))))).toBe(true);
  });

  it('sees a rename as an update', () => {
    const renamed = { ...topology, blueprints: [topology.blueprints[0], { ...topology.blueprints[1], name: 'Java 25' }] };
    expect(diffElements(toElements(topology), toElements(renamed)).update.map((e) => e.data.id)).toEqual(['blueprint:bp-java']);
  });
});

describe('layout', () => {
  it('puts each kind on its own row, children ordered like their parents', () => {
    const positions = layeredPositions(topology);
    expect(positions.get('cluster:c1')).toEqual({ x: -GAP_X / 2, y: 0 });
    expect(positions.get('cluster:c2')).toEqual({ x: GAP_X / 2, y: 0 });
    expect(positions.get('agent:a1')!.y).toBe(GAP_Y);
    // The blueprint pinned to the first cluster comes before the unpinned one.
    expect(positions.get('blueprint:bp-java')!.x).toBeLessThan(positions.get('blueprint:bp-any')!.x);
    expect(positions.get('blueprint:bp-java')!.y).toBe(2 * GAP_Y);
    const row = ['workspace:w1', 'workspace:w2', 'workspace:w3'].map((id) => positions.get(id)!);
    expect(row.map((p) => p.y)).toEqual([3 * GAP_Y, 3 * GAP_Y, 3 * GAP_Y]);
    expect(row.map((p) => p.x)).toEqual([-GAP_X, 0, GAP_X]);
  });

  it('appends new nodes right of their row without moving any other', () => {
    const positions = appendedPositions(
      [{ kind: 'workspace', position: { x: 40, y: 390 } }, { kind: 'workspace', position: { x: 300, y: 390 } },
        { kind: 'cluster', position: { x: 0, y: 0 } }],
      [
        { id: 'workspace:w9', kind: 'workspace', ref: 'w9', label: 'w9' },
        { id: 'workspace:w10', kind: 'workspace', ref: 'w10', label: 'w10' },
        { id: 'agent:a9', kind: 'agent', ref: 'a9', label: 'a9' },
      ]);
    expect(positions.get('workspace:w9')).toEqual({ x: 300 + GAP_X, y: 3 * GAP_Y });
    expect(positions.get('workspace:w10')).toEqual({ x: 300 + 2 * GAP_X, y: 3 * GAP_Y });
    expect(positions.get('agent:a9')).toEqual({ x: 0, y: GAP_Y });
  });
});

describe('detailsOf', () => {
  it('describes each kind of node', () => {
    expect(detailsOf(topology, 'cluster:c1')?.fields).toContainEqual(['Agents', '2 (1 connected)']);
    expect(detailsOf(topology, 'agent:a2')?.fields).toContainEqual(['State', 'Disconnected']);
    expect(detailsOf(topology, 'blueprint:bp-any')?.fields).toContainEqual(['Cluster', 'Default cluster']);
    const w2 = detailsOf(topology, 'workspace:w2')!;
    expect(w2.title).toBe('docs');
    expect(w2.fields).toEqual(expect.arrayContaining([['Status', 'Failed'], ['Reason', 'image missing'], ['Cluster', 'Dev'], ['Blueprint', 'Any']]));
  });

  it('answers null for a node that is gone', () => {
    expect(detailsOf(topology, 'workspace:nope')).toBeNull();
    expect(detailsOf(topology, 'agent:nope')).toBeNull();
  });
});
