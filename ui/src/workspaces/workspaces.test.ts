import { describe, expect, it } from 'vitest';
import { WORKSPACE_STATUSES, type Workspace, type WorkspaceStatus } from '../api/types';
import { applyChange, reconcile } from './list';
import { suggestName, validateWorkspaceName } from './name';
import { actionsFor, isTransitional, toneOf } from './status';

describe('workspace name validation (as the portal validates)', () => {
  it.each(['a', 'dev', 'my-app-2', 'a1', 'x'.repeat(40)])('accepts %s', (name) => {
    expect(validateWorkspaceName(name)).toBeNull();
  });

  it.each([
    ['', 'Enter a name.'],
    ['x'.repeat(41), 'Use at most 40 characters (this one has 41).'],
    ['1app', 'Start with a lower-case letter.'],
    ['-app', 'Start with a lower-case letter.'],
    ['My-app', 'Start with a lower-case letter.'],
    ['my_app', "Use only lower-case letters, digits and '-'."],
    ['myApp', "Use only lower-case letters, digits and '-'."],
    ['my app', "Use only lower-case letters, digits and '-'."],
    ['app-', "Do not end with '-'."],
  ])('refuses %j', (name, message) => {
    expect(validateWorkspaceName(name)).toBe(message);
  });

  it('suggests a valid name from a blueprint name', () => {
    expect(suggestName('Sample: Python 3 shell')).toBe('sample-python-3-shell');
    expect(suggestName('42 Ultimate')).toBe('ultimate');
    expect(suggestName('???')).toBe('workspace');
    expect(validateWorkspaceName(suggestName('A'.repeat(60) + ' tail'))).toBeNull();
  });
});

describe('actions per status', () => {
  const table: Record<WorkspaceStatus, [start: boolean, stop: boolean, del: boolean]> = {
    PENDING: [false, false, true],
    PROVISIONING: [false, false, true],
    RUNNING: [false, true, true],
    STOPPING: [false, false, true],
    STOPPED: [true, false, true],
    DELETING: [false, false, false],
    DELETED: [false, false, false],
    FAILED: [true, false, true],
  };

  it.each(WORKSPACE_STATUSES.map((s) => [s, ...table[s]] as const))('%s: start %s, stop %s, delete %s', (status, start, stop, del) => {
    const actions = actionsFor(status);
    expect([actions.start, actions.stop, actions.delete]).toEqual([start, stop, del]);
    expect(actions.terminal).toBe(status === 'RUNNING');
  });

  it('marks the statuses the agent is working on', () => {
    expect(WORKSPACE_STATUSES.filter(isTransitional)).toEqual(['PENDING', 'PROVISIONING', 'STOPPING', 'DELETING']);
    expect(toneOf('FAILED')).toBe('bad');
    expect(toneOf('RUNNING')).toBe('ok');
  });
});

function ws(id: string, status: WorkspaceStatus, updatedAt: string, createdAt = '2026-01-01T00:00:00Z'): Workspace {
  return { id, name: id, blueprintId: 'bp', owner: 'a@x', status, statusReason: null, createdAt, updatedAt };
}

describe('workspace list', () => {
  it('applies newer changes, ignores older ones and drops deleted workspaces', () => {
    let list = [ws('a', 'PROVISIONING', '2026-01-01T00:00:01Z')];
    list = applyChange(list, ws('a', 'RUNNING', '2026-01-01T00:00:05Z'));
    list = applyChange(list, ws('a', 'PROVISIONING', '2026-01-01T00:00:02Z'));
    expect(list.map((w) => w.status)).toEqual(['RUNNING']);
    list = applyChange(list, ws('b', 'PROVISIONING', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z'));
    expect(list.map((w) => w.id)).toEqual(['b', 'a']);
    list = applyChange(list, ws('a', 'DELETED', '2026-01-03T00:00:00Z'));
    expect(list.map((w) => w.id)).toEqual(['b']);
  });

  it('reconciles with a listing, keeping newer streamed copies and dropping vanished ones', () => {
    const current = [ws('a', 'STOPPING', '2026-01-01T00:00:09Z'), ws('gone', 'RUNNING', '2026-01-01T00:00:00Z')];
    const listed = [ws('a', 'RUNNING', '2026-01-01T00:00:05Z'), ws('c', 'STOPPED', '2026-01-01T00:00:00Z')];
    expect(reconcile(current, listed).map((w) => `${w.id}:${w.status}`)).toEqual(['a:STOPPING', 'c:STOPPED']);
  });
});
