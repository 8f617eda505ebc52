/**
 * The cytoscape canvas. Loaded lazily (its module pulls in cytoscape), so only admins who open the
 * topology pay for it. Updates are applied as a diff: nodes already on screen keep their positions
 * (and whatever the admin dragged them to); new ones join the end of their row.
 */
import cytoscape, { type Core, type StylesheetJson } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { COLOURS } from './legend';
import {
  appendedPositions, diffElements, layeredPositions, toElements,
  type GraphElement, type NodeData, type NodeKind, type Topology,
} from './model';

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 4,
      'text-wrap': 'ellipsis', 'text-max-width': '130px', color: '#5b6678', 'border-width': 0,
    },
  },
  { selector: 'node.cluster', style: { shape: 'round-rectangle', width: 56, height: 36, 'background-color': COLOURS.cluster } },
  { selector: 'node.agent', style: { shape: 'ellipse', width: 30, height: 30 } },
  { selector: 'node.agent.connected', style: { 'background-color': COLOURS.agentConnected } },
  {
    selector: 'node.agent.disconnected',
    style: { 'background-color': COLOURS.agentDisconnected, 'border-width': 2, 'border-style': 'dashed', 'border-color': COLOURS.workspaceBad },
  },
  { selector: 'node.blueprint', style: { shape: 'hexagon', width: 38, height: 34, 'background-color': COLOURS.blueprint } },
  { selector: 'node.blueprint.unpinned', style: { 'border-width': 2, 'border-style': 'dashed', 'border-color': COLOURS.cluster } },
  { selector: 'node.workspace', style: { shape: 'round-rectangle', width: 26, height: 20 } },
  { selector: 'node.workspace.tone-ok', style: { 'background-color': COLOURS.workspaceOk } },
  { selector: 'node.workspace.tone-busy', style: { 'background-color': COLOURS.workspaceBusy } },
  { selector: 'node.workspace.tone-idle', style: { 'background-color': COLOURS.workspaceIdle } },
  { selector: 'node.workspace.tone-bad', style: { 'background-color': COLOURS.workspaceBad } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-style': 'solid', 'border-color': COLOURS.selected } },
  {
    selector: 'edge',
    style: {
      width: 1.5, 'curve-style': 'bezier', 'line-color': COLOURS.edge,
      'target-arrow-shape': 'triangle', 'target-arrow-color': COLOURS.edge, 'arrow-scale': 0.8,
    },
  },
  { selector: 'edge.placed-on', style: { 'line-style': 'dashed' } },
  // A pinned blueprint sits two rows below its cluster: bow the edge around the agents' row.
  { selector: 'edge.pins', style: { 'curve-style': 'unbundled-bezier', 'control-point-distances': [-60], 'control-point-weights': [0.5] } },
];

export interface TopologyGraphProps {
  topology: Topology;
  selected: string | null;
  onSelect(id: string | null): void;
  /** Bumped by the page's "Re-arrange" button: lay every node out again. */
  arrangeKey: number;
}

export default function TopologyGraph({ topology, selected, onSelect, arrangeKey }: TopologyGraphProps) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const shown = useRef<GraphElement[]>([]);
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    const instance = cytoscape({
      container: container.current, style: STYLE, elements: [],
      minZoom: 0.2, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: false,
    });
    instance.on('tap', 'node', (event) => select.current(event.target.id()));
    instance.on('tap', (event) => { if (event.target === instance) select.current(null); });
    cy.current = instance;
    return () => {
      instance.destroy();
      cy.current = null;
      shown.current = [];
    };
  }, []);

  useEffect(() => {
    const graph = cy.current;
    if (!graph) return;
    const next = toElements(topology);
    const first = shown.current.length === 0;
    const diff = diffElements(shown.current, next);
    const positions = first
      ? layeredPositions(topology)
      : appendedPositions(
        graph.nodes().map((n) => ({ kind: n.data('kind') as NodeKind, position: n.position() })),
        diff.add.filter((e) => e.group === 'nodes').map((e) => e.data as NodeData));
    graph.batch(() => {
      for (const id of diff.remove) graph.getElementById(id).remove();
      for (const element of diff.update) {
        graph.getElementById(element.data.id).data(element.data).classes(element.classes);
      }
      // Nodes before edges: an edge needs both ends.
      const added = [...diff.add].sort((a, b) => (a.group === b.group ? 0 : a.group === 'nodes' ? -1 : 1));
      graph.add(added.map((e) => ({
        group: e.group, data: { ...e.data }, classes: e.classes,
        ...(e.group === 'nodes' ? { position: positions.get(e.data.id) ?? { x: 0, y: 0 } } : {}),
      })));
    });
    if (first && next.length > 0) graph.fit(undefined, 40);
    shown.current = next;
  }, [topology]);

  useEffect(() => {
    const graph = cy.current;
    if (!graph || arrangeKey === 0) return;
    const positions = layeredPositions(topology);
    graph.layout({
      name: 'preset', animate: true, animationDuration: 300, fit: true, padding: 40,
      positions: Object.fromEntries(positions),
    }).run();
    // Only on the button: a new topology alone must not move anything.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [arrangeKey]);

  useEffect(() => {
    const graph = cy.current;
    if (!graph) return;
    graph.$(':selected').unselect();
    if (selected) graph.getElementById(selected).select();
  }, [selected, topology]);

  return (
    <div ref={container} className="topology-canvas" role="img" data-testid="topology-canvas"
      aria-label="Topology graph. The list view shows the same clusters, agents, blueprints and workspaces as text." />
  );
}
