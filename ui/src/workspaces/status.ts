/**
 * What a person may do with a workspace in each status. Mirrors the Workspace aggregate's rules
 * (stop: RUNNING only; start: STOPPED or FAILED; delete: anything not already being deleted), so
 * a button is never offered that the portal would refuse with state-conflict.
 */
import type { WorkspaceStatus } from '../api/types';

export interface WorkspaceActions {
  start: boolean;
  stop: boolean;
  delete: boolean;
  terminal: boolean;
}

export function actionsFor(status: WorkspaceStatus): WorkspaceActions {
  return {
    start: status === 'STOPPED' || status === 'FAILED',
    stop: status === 'RUNNING',
    delete: status !== 'DELETING' && status !== 'DELETED',
    terminal: status === 'RUNNING',
  };
}

/** Statuses in which the agent is at work: shown with a spinner, and they change by themselves. */
export function isTransitional(status: WorkspaceStatus): boolean {
  return status === 'PENDING' || status === 'PROVISIONING' || status === 'STOPPING' || status === 'DELETING';
}

export type Tone = 'ok' | 'busy' | 'idle' | 'bad';

export function toneOf(status: WorkspaceStatus): Tone {
  if (status === 'RUNNING') return 'ok';
  if (status === 'FAILED') return 'bad';
  if (isTransitional(status)) return 'busy';
  return 'idle';
}

const LABELS: Record<WorkspaceStatus, string> = {
  PENDING: 'Pending',
  PROVISIONING: 'Provisioning',
  RUNNING: 'Running',
  STOPPING: 'Stopping',
  STOPPED: 'Stopped',
  DELETING: 'Deleting',
  DELETED: 'Deleted',
  FAILED: 'Failed',
};

export function labelOf(status: WorkspaceStatus): string {
  return LABELS[status] ?? status;
}
