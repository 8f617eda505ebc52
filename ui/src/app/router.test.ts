import { describe, expect, it } from 'vitest';
import { match } from './router';

describe('routes', () => {
  it.each([
    ['/', { screen: 'workspaces' }],
    ['/workspaces', { screen: 'workspaces' }],
    ['/workspaces/ws-1/terminal', { screen: 'terminal', workspaceId: 'ws-1' }],
    ['/workspaces/ws-1', { screen: 'workspace', workspaceId: 'ws-1', preview: null }],
    ['/workspaces/ws-1?preview=8000', { screen: 'workspace', workspaceId: 'ws-1', preview: '8000' }],
    ['/workspaces/ws-1/?preview=x&other=1', { screen: 'workspace', workspaceId: 'ws-1', preview: 'x' }],
    ['/workspaces?preview=8000', { screen: 'workspaces' }],
    ['/blueprints?x=1', { screen: 'blueprints' }],
    ['/blueprints/', { screen: 'blueprints' }],
    ['/admin/blueprints', { screen: 'admin-blueprints' }],
    ['/admin/blueprints/new', { screen: 'admin-blueprint-edit', blueprintId: null }],
    ['/admin/blueprints/bp-sample', { screen: 'admin-blueprint-edit', blueprintId: 'bp-sample' }],
    ['/admin/clusters', { screen: 'admin-clusters' }],
    ['/admin/topology', { screen: 'admin-topology' }],
    ['/admin/members', { screen: 'admin-members' }],
    ['/admin/security', { screen: 'admin-security', tab: 'sessions' }],
    ['/admin/security/firewall', { screen: 'admin-security', tab: 'firewall' }],
    ['/admin/security/blocked', { screen: 'admin-security', tab: 'blocked' }],
    ['/admin/security/other', { screen: 'not-found' }],
    ['/admin/audit?actor=a', { screen: 'admin-audit' }],
    ['/admin/publish', { screen: 'admin-publish' }],
    ['/admin/settings', { screen: 'admin-settings' }],
    ['/published/pr-7', { screen: 'published', requestId: 'pr-7' }],
    ['/published', { screen: 'not-found' }],
    ['/nope', { screen: 'not-found' }],
  ])('%s', (path, route) => {
    expect(match(path)).toEqual(route);
  });
});
