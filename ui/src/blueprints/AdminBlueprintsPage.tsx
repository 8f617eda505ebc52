import { useState } from 'react';
import { useApp } from '../app/context';
import { takeFlash } from '../app/flash';
import { useDocumentTitle, useLoad } from '../app/hooks';
import { Link } from '../app/router';
import type { Blueprint, ListResponse } from '../api/types';
import { EmptyState, ErrorMessage, Notice, PageHeader, RelativeTime, Spinner } from '../components/common';
import { describeAcl } from './acl';
import { BlueprintSummary } from './BlueprintsPage';

/** Admins: every blueprint, with links to edit and create. */
export function AdminBlueprintsPage() {
  const { api } = useApp();
  useDocumentTitle('Manage blueprints');
  const [blueprints, reload] = useLoad((signal) => api.get<ListResponse<Blueprint>>('/api/v1/blueprints', signal));
  const [notice, setNotice] = useState(() => takeFlash());
  return (
    <section>
      <PageHeader title="Manage blueprints">
        <Link className="button" href="/admin/blueprints/new">New blueprint</Link>
      </PageHeader>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      {blueprints.state === 'loading' && <Spinner label="Loading blueprints…" />}
      {blueprints.state === 'failed' && <ErrorMessage message={blueprints.message} onRetry={reload} />}
      {blueprints.state === 'loaded' && blueprints.value.items.length === 0 && (
        <EmptyState title="No blueprints yet">
          <p>Developers launch workspaces from blueprints. <Link href="/admin/blueprints/new">Create the first one</Link>.</p>
        </EmptyState>
      )}
      {blueprints.state === 'loaded' && blueprints.value.items.length > 0 && (
        <ul className="cards">
          {blueprints.value.items.map((b) => (
            <li key={b.id} className="card">
              <h2>{b.name}</h2>
              <p className="muted">
                <code>{b.id}</code> on cluster <code>{b.clusterId}</code>
                {b.updatedAt && <> · changed <RelativeTime iso={b.updatedAt} /></>}
              </p>
              <BlueprintSummary blueprint={b} />
              <p className="access" data-acl-mode={b.acl?.mode ?? 'open'}>
                <span className="muted">Who may launch:</span> {describeAcl(b.acl)}
              </p>
              <div className="card-actions">
                <Link className="button button-secondary" href={`/admin/blueprints/${encodeURIComponent(b.id)}`}
                  aria-label={`Edit ${b.name}`}>Edit</Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
