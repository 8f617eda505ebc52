import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { useApp } from '../app/context';
import type { Workspace } from '../api/types';
import { ErrorMessage, Notice } from '../components/common';
import { openBlankTab, openPreview, previewOrigins, previewUnavailableReason } from './preview';

interface BlockedLink {
  port: number;
  url: string;
  expiresAt: string;
}

/**
 * "Open :8000" for each port the workspace's blueprint declares, each in a new tab on the port's
 * own origin (shown once this page knows the preview domain). Disabled, with the reason, unless
 * the workspace is RUNNING.
 */
export function PreviewControls({ workspace, compact = false }: { workspace: Workspace; compact?: boolean }) {
  const { api } = useApp();
  const ports = workspace.ports ?? [];
  const hintId = useId();
  const [opening, setOpening] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blocked, setBlocked] = useState<BlockedLink | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => { mounted.current = false; };
  }, []);
  useSyncExternalStore(previewOrigins.subscribe, previewOrigins.snapshot);

  // The fallback link holds a one-time ticket: it goes when the ticket expires.
  useEffect(() => {
    if (!blocked) return;
    const ms = Math.min(Math.max(Date.parse(blocked.expiresAt) - Date.now(), 0), 5 * 60_000);
    const timer = window.setTimeout(() => setBlocked(null), Number.isFinite(ms) ? ms : 30_000);
    return () => window.clearTimeout(timer);
  }, [blocked]);

  if (ports.length === 0) {
    return compact ? <span className="muted">None</span>
      : <p className="muted">The blueprint of this workspace declares no ports, so there is nothing to preview.</p>;
  }
  const reason = previewUnavailableReason(workspace.status);

  const open = async (port: number) => {
    // Synchronously, inside the click: see openBlankTab.
    const tab = openBlankTab();
    setOpening(port);
    setError(null);
    setBlocked(null);
    const outcome = await openPreview(api, workspace.id, port, tab);
    if (!mounted.current) return;
    setOpening(null);
    if (outcome.kind === 'failed') setError(outcome.message);
    if (outcome.kind === 'blocked') setBlocked({ port, url: outcome.url, expiresAt: outcome.expiresAt });
  };

  return (
    <div className="previews">
      <ul className="preview-list">
        {ports.map((port) => {
          const origin = previewOrigins.originOf(workspace.id, port);
          return (
            <li key={port} data-port={port}>
              <button type="button" className="button-secondary" disabled={reason !== null || opening !== null}
                aria-describedby={reason ? hintId : undefined}
                aria-label={`Open :${port} of ${workspace.name} in a new tab`}
                onClick={() => void open(port)}>
                {opening === port ? `Opening :${port}…` : `Open :${port}`}
              </button>
              {origin && <code className="preview-origin" title="Where this preview lives">{origin}</code>}
            </li>
          );
        })}
      </ul>
      {reason && <p id={hintId} className="field-hint">{reason}</p>}
      {error && <ErrorMessage message={error} />}
      {blocked && (
        <Notice onDismiss={() => setBlocked(null)}>
          The browser did not open a new tab.{' '}
          <a href={blocked.url} target="_blank" rel="noopener noreferrer"
            // Later, not during the click: the link must still be there to be followed.
            onClick={() => window.setTimeout(() => setBlocked(null), 0)}>
            Open :{blocked.port} of {workspace.name}
          </a>{' '}
          (the link works once, for a few seconds).
        </Notice>
      )}
    </div>
  );
}
