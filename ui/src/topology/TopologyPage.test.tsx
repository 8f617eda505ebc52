// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppContext, type AppContextValue } from '../app/context';
import type { ApiClient } from '../api/client';
import type { Member } from '../api/types';
import type { Session } from '../auth/session';
import type { Topology } from './model';
import { TopologyPage } from './TopologyPage';

// The canvas needs a real browser; this stand-in shows what the page hands to it.
vi.mock('./TopologyGraph', () => ({
  default: ({ topology, onSelect }: { topology: Topology; onSelect(id: string): void }) => (
    <div data-testid="graph">
      {topology.workspaces.map((w) => (
        <button key={w.id} type="button" onClick={() => onSelect(`workspace:${w.id}`)}>{`node ${w.id} ${w.status}`}</button>
      ))}
    </div>
  ),
}));

afterEach(cleanup);

const me: Member = { email: 'admin@example.com', role: 'admin', trusted: true, workspaceLimit: null };

const topology: Topology = {
  clusters: [{
    id: 'c1', name: 'Production', registeredAt: null, agents: [
      { id: 'a1', hostname: 'prod-1', connected: true, protocolVersion: '1.0', runtime: 'docker', lastSeen: null },
      { id: 'a2', hostname: 'prod-2', connected: false, protocolVersion: null, runtime: null, lastSeen: null },
    ],
  }],
  blueprints: [{ id: 'bp-java', name: 'Java', clusterId: 'c1' }, { id: 'bp-any', name: 'Any', clusterId: null }],
  workspaces: [
    { id: 'w1', name: 'api', owner: 'u@example.com', status: 'RUNNING', statusReason: null, blueprintId: 'bp-java', clusterId: 'c1' },
  ],
};

/** An SSE response the test writes into. */
function stream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send(graph: Topology) {
      controller.enqueue(new TextEncoder().encode(`event:topology\ndata:${JSON.stringify(graph)}\n\n`));
    },
  };
}

function renderPage(document: Topology, view: 'graph' | 'list' = 'list') {
  const sse = stream();
  const get = vi.fn(async () => document);
  const open = vi.fn(async () => sse.response);
  const value = { api: { get, open } as unknown as ApiClient, session: {} as Session, me } satisfies AppContextValue;
  render(<AppContext.Provider value={value}><TopologyPage initialView={view} /></AppContext.Provider>);
  return { get, open, sse };
}

describe('TopologyPage', () => {
  it('lists clusters, agents, blueprints and workspaces', async () => {
    const { get, open } = renderPage(topology);
    const cluster = await screen.findByRole('region', { name: 'Cluster Production' });
    expect(get).toHaveBeenCalledWith('/api/v1/admin/topology');
    expect(open).toHaveBeenCalledWith('/api/v1/admin/topology/events', expect.anything());
    const agent = within(cluster).getByText('prod-2').closest('li')!;
    expect(agent.textContent).toContain('Disconnected');
    const workspace = within(cluster).getByRole('button', { name: 'api' }).closest('li')!;
    expect(workspace.textContent).toContain('Running');
    expect(workspace.closest('li[data-node="blueprint:bp-java"]')).not.toBeNull();
    const unpinned = screen.getByRole('region', { name: 'Blueprints for the default cluster' });
    expect(within(unpinned).getByRole('button', { name: 'Any' })).toBeTruthy();
  });

  it('shows the details of what is selected, from the keyboard too', async () => {
    renderPage(topology);
    const button = await screen.findByRole('button', { name: 'prod-1' });
    fireEvent.click(button);
    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(within(details).getByRole('heading', { name: 'prod-1' })).toBeTruthy();
    expect(details.textContent).toContain('Connected');
    expect(details.textContent).toContain('docker');
    expect(button.getAttribute('aria-pressed')).toBe('true');
  });

  it('applies each graph the stream sends', async () => {
    const { sse } = renderPage(topology);
    await screen.findByRole('button', { name: 'api' });
    await act(async () => {
      sse.send({
        ...topology,
        workspaces: [{ ...topology.workspaces[0], status: 'STOPPING' },
          { id: 'w2', name: 'docs', owner: 'v@example.com', status: 'PROVISIONING', statusReason: null, blueprintId: 'bp-java', clusterId: 'c1' }],
      });
    });
    await screen.findByRole('button', { name: 'docs' });
    expect(screen.getByRole('button', { name: 'api' }).closest('li')!.textContent).toContain('Stopping');
    await screen.findByText('Live');
  });

  it('feeds the graph and its selection, with a legend', async () => {
    const { sse } = renderPage(topology, 'graph');
    fireEvent.click(await screen.findByRole('button', { name: 'node w1 RUNNING' }));
    expect(within(screen.getByRole('complementary', { name: 'Details' })).getByRole('heading', { name: 'api' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Legend' })).getByText('Agent, disconnected')).toBeTruthy();
    await act(async () => { sse.send({ ...topology, workspaces: [{ ...topology.workspaces[0], status: 'FAILED', statusReason: 'oom' }] }); });
    await screen.findByRole('button', { name: 'node w1 FAILED' });
    expect(screen.getByRole('complementary', { name: 'Details' }).textContent).toContain('oom');
    // Switching to the list keeps the selection.
    fireEvent.click(screen.getByRole('button', { name: 'List' }));
    expect(screen.getByRole('button', { name: 'api' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('says to register a cluster when there is nothing yet', async () => {
    renderPage({ clusters: [], blueprints: [], workspaces: [] });
    await screen.findByRole('heading', { name: 'Nothing to show yet' });
    expect(screen.getByRole('link', { name: 'Register a cluster' }).getAttribute('href')).toBe('/admin/clusters');
    expect(screen.queryByRole('region', { name: /Cluster/ })).toBeNull();
  });
});
