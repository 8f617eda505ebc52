import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, parsePorts, requestFrom, validateForm, type BlueprintForm } from './form';

const valid: BlueprintForm = {
  ...EMPTY_FORM,
  name: 'python',
  clusterId: 'local',
  image: 'python:3.12',
  cpu: '500m',
  memory: '1Gi',
  storage: '10Gi',
  ports: '8000, 3000',
  env: [{ key: 'MODE', value: 'dev' }],
  startCommand: 'python3 -m http.server $PORT',
};

describe('blueprint form', () => {
  it('accepts a complete blueprint and builds the request the portal takes', () => {
    expect(validateForm(valid, 2)).toEqual({});
    expect(requestFrom(valid)).toEqual({
      name: 'python',
      clusterId: 'local',
      image: 'python:3.12',
      resources: { cpu: '500m', memory: '1Gi', storage: '10Gi' },
      ports: [8000, 3000],
      env: { MODE: 'dev' },
      startCommand: 'python3 -m http.server $PORT',
      acl: { mode: 'open', emails: [], domains: [] },
    });
  });

  it('keeps what it does not edit and sends the access list with its pending entry', async () => {
    const { formFrom } = await import('./form');
    const form = formFrom({
      id: 'bp-1', name: 'python', clusterId: 'local', image: 'python:3.12',
      resources: { cpu: '500m', memory: '1Gi', storage: '10Gi' }, ports: [8000], env: {}, startCommand: null,
      tools: [{ name: 'claude', command: 'claude' }], llm: { provider: 'anthropic', endpoint: null, keySet: true },
      acl: { mode: 'restricted', emails: ['ada@example.com'], domains: [] },
    });
    const request = requestFrom({ ...form, aclPending: 'example.org' });
    expect(request.tools).toEqual([{ name: 'claude', command: 'claude' }]);
    // No apiKey: the portal keeps the stored key.
    expect(request.llm).toEqual({ provider: 'anthropic', endpoint: null });
    expect(request.acl).toEqual({ mode: 'restricted', emails: ['ada@example.com'], domains: ['example.org'] });
    expect(validateForm({ ...form, aclPending: 'bad@' }, 1).acl).toBe('"bad@" is not an email address.');
  });

  it('lets the cluster be left out while only one is registered', () => {
    expect(validateForm({ ...valid, clusterId: '' }, 1)).toEqual({});
    expect(validateForm({ ...valid, clusterId: '' }, 2).clusterId).toBeDefined();
  });

  it('refuses quantities the portal would refuse', () => {
    const errors = validateForm({ ...valid, cpu: '0.5', memory: '1GB', storage: '1500Mi' }, 1);
    expect(Object.keys(errors).sort()).toEqual(['cpu', 'memory', 'storage']);
    expect(validateForm({ ...valid, storage: '2048Mi' }, 1)).toEqual({});
  });

  it('keeps resources within the portal\'s bounds', () => {
    expect(Object.keys(validateForm({ ...valid, cpu: '50m', memory: '32Mi', storage: '0Gi' }, 1)).sort())
      .toEqual(['cpu', 'memory', 'storage']);
    expect(Object.keys(validateForm({ ...valid, cpu: '65', memory: '257Gi', storage: '3Ti' }, 1)).sort())
      .toEqual(['cpu', 'memory', 'storage']);
    expect(validateForm({ ...valid, cpu: '64', memory: '256Gi', storage: '2Ti' }, 1)).toEqual({});
  });

  it('names blueprints as the portal does', () => {
    expect(validateForm({ ...valid, name: 'Node 20' }, 1).name).toContain('lower-case');
  });

  it('checks ports and variable names', () => {
    expect(parsePorts('80 80')).toBe('List each port once.');
    expect(parsePorts('70000')).toContain('not a port');
    expect(parsePorts('')).toEqual([]);
    expect(validateForm({ ...valid, env: [{ key: '1X', value: '' }] }, 1).env).toContain('not a variable name');
    expect(validateForm({ ...valid, env: [{ key: 'A', value: '' }, { key: 'A', value: '' }] }, 1).env)
      .toBe('Each variable name may appear once.');
  });
});
