/**
 * The graph's colours and shapes, in one place for the cytoscape style sheet and the legend (which
 * must not import cytoscape: it renders in the main bundle while the graph is still loading).
 */
export const COLOURS = {
  cluster: '#1f5fbf',
  agentConnected: '#2e9e5b',
  agentDisconnected: '#9aa3b2',
  blueprint: '#7c4dcc',
  workspaceOk: '#2e9e5b',
  workspaceBusy: '#3d8bf2',
  workspaceIdle: '#9aa3b2',
  workspaceBad: '#d0382b',
  edge: '#9aa3b2',
  selected: '#f0a500',
} as const;

export interface LegendEntry {
  label: string;
  colour: string;
  /** A CSS class naming the shape (see styles.css: legend-shape-…). */
  shape: 'rectangle' | 'ellipse' | 'hexagon' | 'small-rectangle';
  dashed?: boolean;
}

export const LEGEND: LegendEntry[] = [
  { label: 'Cluster', colour: COLOURS.cluster, shape: 'rectangle' },
  { label: 'Agent, connected', colour: COLOURS.agentConnected, shape: 'ellipse' },
  { label: 'Agent, disconnected', colour: COLOURS.agentDisconnected, shape: 'ellipse', dashed: true },
  { label: 'Blueprint', colour: COLOURS.blueprint, shape: 'hexagon' },
  { label: 'Workspace, running', colour: COLOURS.workspaceOk, shape: 'small-rectangle' },
  { label: 'Workspace, changing', colour: COLOURS.workspaceBusy, shape: 'small-rectangle' },
  { label: 'Workspace, stopped', colour: COLOURS.workspaceIdle, shape: 'small-rectangle' },
  { label: 'Workspace, failed', colour: COLOURS.workspaceBad, shape: 'small-rectangle' },
];
