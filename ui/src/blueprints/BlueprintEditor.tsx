import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { setFlash } from '../app/flash';
import { useBusyWhile, useDocumentTitle, useLoad } from '../app/hooks';
import { Link, navigate } from '../app/router';
import type { Blueprint, Cluster, ListResponse } from '../api/types';
import { ErrorMessage, FormField, PageHeader, Spinner } from '../components/common';
import { AclEditor } from './AclEditor';
import { EMPTY_FORM, formFrom, requestFrom, validateForm, type BlueprintForm, type FormErrors } from './form';

/** Create (blueprintId null) or update a blueprint. */
export function BlueprintEditor({ blueprintId }: { blueprintId: string | null }) {
  const { api } = useApp();
  const creating = blueprintId === null;
  useDocumentTitle(creating ? 'New blueprint' : 'Edit blueprint');
  const [clusters] = useLoad((signal) => api.get<ListResponse<Cluster>>('/api/v1/clusters', signal));
  const [existing, reloadExisting] = useLoad(
    (signal) => (blueprintId ? api.get<Blueprint>(`/api/v1/blueprints/${encodeURIComponent(blueprintId)}`, signal)
      : Promise.resolve(null)),
    [blueprintId],
  );
  const [form, setForm] = useState<BlueprintForm | null>(creating ? EMPTY_FORM : null);
  const [dirty, setDirty] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useBusyWhile(dirty || saving, 'blueprint editor');

  useEffect(() => {
    if (existing.state === 'loaded' && existing.value && form === null) setForm(formFrom(existing.value));
  }, [existing, form]);

  const clusterList = clusters.state === 'loaded' ? clusters.value.items : [];
  useEffect(() => {
    // With one cluster there is nothing to choose.
    if (creating && clusterList.length === 1 && form && !form.clusterId) {
      setForm({ ...form, clusterId: clusterList[0].id });
    }
  }, [creating, clusterList, form]);

  if (existing.state === 'failed') return <ErrorMessage message={existing.message} onRetry={reloadExisting} />;
  if (!form) return <Spinner label="Loading the blueprint…" />;

  const errors: FormErrors = submitted ? validateForm(form, clusterList.length) : {};
  const update = (patch: Partial<BlueprintForm>) => {
    setForm({ ...form, ...patch });
    setDirty(true);
  };
  const input = (key: 'name' | 'image' | 'cpu' | 'memory' | 'storage' | 'ports' | 'startCommand') =>
    (props: object) => (
      <input {...props} name={key} value={form[key]} autoComplete="off" spellCheck={false}
        onChange={(e) => update({ [key]: e.target.value })} />
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateForm(form, clusterList.length)).length > 0) {
      // Keyboard and screen-reader users land on the first thing to fix.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body = requestFrom(form);
      if (creating) {
        await api.post('/api/v1/blueprints', body);
      } else {
        await api.put(`/api/v1/blueprints/${encodeURIComponent(blueprintId)}`, body);
      }
      setDirty(false);
      setFlash(`Blueprint "${body.name}" saved.`);
      navigate('/admin/blueprints');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section>
      <PageHeader title={creating ? 'New blueprint' : `Edit ${form.name || 'blueprint'}`} />
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormField label="Name" error={errors.name} hint="Lower-case letters, digits and '-', such as python-web.">{input('name')}</FormField>
        <FormField label="Cluster" error={errors.clusterId}
          hint={clusters.state === 'failed' ? `Clusters could not be loaded: ${clusters.message}` : 'Where its workspaces run.'}>
          {(props) => (
            <select {...props} name="clusterId" value={form.clusterId} onChange={(e) => update({ clusterId: e.target.value })}>
              <option value="">{clusters.state === 'loading' ? 'Loading clusters…' : 'Choose a cluster'}</option>
              {clusterList.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.id})</option>)}
              {form.clusterId && !clusterList.some((c) => c.id === form.clusterId) && (
                <option value={form.clusterId}>{form.clusterId}</option>
              )}
            </select>
          )}
        </FormField>
        <FormField label="Container image" error={errors.image} hint='For example "debian:12" or "registry.example.com/team/dev:1.4".'>
          {input('image')}
        </FormField>
        <fieldset className="row">
          <legend>Resources per workspace</legend>
          <FormField label="CPU" error={errors.cpu} hint='"500m" is half a core; at least "100m".'>{input('cpu')}</FormField>
          <FormField label="Memory" error={errors.memory} hint='"512Mi", "4Gi".'>{input('memory')}</FormField>
          <FormField label="Storage" error={errors.storage} hint='"10Gi".'>{input('storage')}</FormField>
        </fieldset>
        <FormField label="Ports" error={errors.ports} hint="Ports its apps listen on, separated by commas, such as 8000, 3000.">
          {input('ports')}
        </FormField>
        <EnvEditor rows={form.env} error={errors.env} onChange={(env) => update({ env })} />
        <FormField label="Start command" hint="Run when the workspace starts; leave empty for none.">{input('startCommand')}</FormField>
        <AclEditor acl={form.acl} pending={form.aclPending} error={errors.acl}
          onChange={(acl, aclPending) => update({ acl, aclPending })} />
        {error && <ErrorMessage message={error} />}
        <div className="form-actions">
          <Link className="button button-secondary" href="/admin/blueprints">Cancel</Link>
          <button type="submit" disabled={saving}>{saving ? 'Saving…' : creating ? 'Create blueprint' : 'Save changes'}</button>
        </div>
      </form>
    </section>
  );
}

function EnvEditor({ rows, error, onChange }: {
  rows: BlueprintForm['env'];
  error?: string;
  onChange: (rows: BlueprintForm['env']) => void;
}) {
  const errorId = useId();
  const set = (index: number, patch: Partial<BlueprintForm['env'][number]>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>Environment variables</legend>
      {rows.length === 0 && <p className="field-hint">None. Secrets belong in the LLM key or your cluster's secrets, not here.</p>}
      {rows.map((row, index) => (
        <div className="env-row" key={index}>
          <input aria-label={`Name of variable ${index + 1}`} placeholder="NAME" value={row.key} spellCheck={false}
            onChange={(e) => set(index, { key: e.target.value })} />
          <input aria-label={`Value of variable ${index + 1}`} placeholder="value" value={row.value} spellCheck={false}
            onChange={(e) => set(index, { value: e.target.value })} />
          <button type="button" className="button-secondary" aria-label={`Remove variable ${row.key || index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}>Remove</button>
        </div>
      ))}
      {error && <p id={errorId} className="field-error">{error}</p>}
      <button type="button" className="button-secondary" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add variable
      </button>
    </fieldset>
  );
}
