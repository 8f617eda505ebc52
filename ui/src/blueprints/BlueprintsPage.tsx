import { useState } from 'react';
import { useApp } from '../app/context';
import { setFlash } from '../app/flash';
import { useDocumentTitle, useLoad } from '../app/hooks';
import { navigate } from '../app/router';
import type { Blueprint, ListResponse } from '../api/types';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../components/common';
import { LaunchDialog } from './LaunchDialog';

export function BlueprintSummary({ blueprint }: { blueprint: Blueprint }) {
  const r = blueprint.resources;
  return (
    <dl className="facts">
      <dt>Image</dt>
      <dd><code>{blueprint.image}</code></dd>
      {r && (
        <>
          <dt>Resources</dt>
          <dd>{r.cpu} CPU · {r.memory} memory · {r.storage} storage</dd>
        </>
      )}
      {blueprint.ports && blueprint.ports.length > 0 && (
        <>
          <dt>Ports</dt>
          <dd>{blueprint.ports.join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

/** The blueprints this member may launch from. */
export function BlueprintsPage() {
  const { api, me } = useApp();
  useDocumentTitle('Blueprints');
  const [blueprints, reload] = useLoad((signal) => api.get<ListResponse<Blueprint>>('/api/v1/blueprints', signal));
  const [launching, setLaunching] = useState<Blueprint | null>(null);

  return (
    <section aria-labelledby="page-title">
      <PageHeader title="Blueprints" />
      <p className="lead">A blueprint is a ready-made environment. Launch one to get your own workspace.</p>
      {blueprints.state === 'loading' && <Spinner label="Loading blueprints…" />}
      {blueprints.state === 'failed' && <ErrorMessage message={blueprints.message} onRetry={reload} />}
      {blueprints.state === 'loaded' && blueprints.value.items.length === 0 && (
        <EmptyState title="No blueprints yet">
          {me.role === 'admin'
            ? <p>Create one under <a href="/admin/blueprints/new" onClick={(e) => { e.preventDefault(); navigate('/admin/blueprints/new'); }}>Manage blueprints</a>.</p>
            : <p>There is nothing you can launch yet. Ask your platform team to give you access to a blueprint.</p>}
        </EmptyState>
      )}
      {blueprints.state === 'loaded' && blueprints.value.items.length > 0 && (
        <ul className="cards">
          {blueprints.value.items.map((blueprint) => (
            <li key={blueprint.id} className="card" data-blueprint={blueprint.id}>
              <h2>{blueprint.name}</h2>
              <BlueprintSummary blueprint={blueprint} />
              <div className="card-actions">
                <button type="button" onClick={() => setLaunching(blueprint)} aria-label={`Launch ${blueprint.name}`}>
                  Launch
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {launching && (
        <LaunchDialog
          blueprint={launching}
          onClose={() => setLaunching(null)}
          onLaunched={(_accepted, name) => {
            setFlash(`Workspace "${name}" is being prepared. Its status changes here as it starts.`);
            navigate('/workspaces');
          }}
        />
      )}
    </section>
  );
}
