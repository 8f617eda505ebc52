/**
 * Keeps the list of workspaces current from two sources that race: the list endpoint and the
 * event stream. Each workspace carries updatedAt, so an older copy never replaces a newer one.
 */
import type { Workspace } from '../api/types';

function newer(a: Workspace, b: Workspace): boolean {
  return Date.parse(a.updatedAt) >= Date.parse(b.updatedAt);
}

/** Newest first, as the portal lists them. */
function sorted(list: Workspace[]): Workspace[] {
  return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || a.id.localeCompare(b.id));
}

/** Applies one change from the stream; a DELETED workspace leaves the list. */
export function applyChange(list: Workspace[], change: Workspace): Workspace[] {
  const index = list.findIndex((w) => w.id === change.id);
  if (index >= 0 && !newer(change, list[index])) {
    return list;
  }
  if (change.status === 'DELETED') {
    return index >= 0 ? list.filter((w) => w.id !== change.id) : list;
  }
  if (index < 0) {
    return sorted([...list, change]);
  }
  const next = [...list];
  next[index] = change;
  return next;
}

/**
 * Replaces the list with a fresh listing (which leaves out DELETED ones), keeping any copy the
 * stream delivered while the listing was under way if it is newer.
 */
export function reconcile(current: Workspace[], listed: Workspace[]): Workspace[] {
  const byId = new Map(current.map((w) => [w.id, w]));
  return sorted(
    listed
      .map((w) => {
        const known = byId.get(w.id);
        return known && !newer(w, known) ? known : w;
      })
      .filter((w) => w.status !== 'DELETED'),
  );
}
