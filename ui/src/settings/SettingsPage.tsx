import { useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle, useLoad } from '../app/hooks';
import { ApiError } from '../api/problem';
import type { Settings } from '../api/types';
import { EmptyState, ErrorMessage, FormField, Notice, PageHeader, Spinner } from '../components/common';
import { isHexColor, logoSrc, normalizeHex, setBranding, textOn } from './branding';
import { logoWarning, settingsBody, settingsForm, validateSettings, type SettingsForm } from './form';

/** Admins: the portal's name, accent colour and logo, and its rate limits. */
export function SettingsPage() {
  const { api } = useApp();
  useDocumentTitle('Settings');
  const [loaded, reload] = useLoad((signal) => api.get<Settings>('/api/v1/settings', signal));
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [dirty, setDirty] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useBusyWhile(dirty || saving, 'settings form');

  useEffect(() => {
    if (loaded.state === 'loaded' && form === null) setForm(settingsForm(loaded.value));
  }, [loaded, form]);

  if (loaded.state === 'failed') {
    return (
      <section>
        <PageHeader title="Settings" />
        {loaded.status === 404
          ? <EmptyState title="Settings are not available"><p>This portal does not offer settings yet; it uses its configured defaults.</p></EmptyState>
          : <ErrorMessage message={loaded.message} onRetry={reload} />}
      </section>
    );
  }
  if (!form) return <Spinner label="Loading the settings…" />;
  const errors = submitted ? validateSettings(form) : {};
  const update = (patch: Partial<SettingsForm>) => {
    setForm({ ...form, ...patch });
    setDirty(true);
    setNotice(null);
  };
  const warning = logoWarning(form.logoUrl, window.location.origin);
  const preview = logoSrc(form.logoUrl, window.location.origin);
  const accent = isHexColor(form.accentColor) ? normalizeHex(form.accentColor) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateSettings(form)).length > 0) return;
    setSaving(true);
    setError(null);
    try {
      const body = settingsBody(form);
      const answer = await api.put<Settings | undefined>('/api/v1/settings', body);
      const now = answer ?? body;
      setBranding(now.branding);
      setForm(settingsForm(now));
      setDirty(false);
      setSubmitted(false);
      setNotice('Settings saved. The new branding shows for everyone on their next page load.');
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? 'Settings are not available on this portal yet.' : (e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section>
      <PageHeader title="Settings" />
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      <form className="form" onSubmit={submit} noValidate>
        <fieldset>
          <legend>Branding</legend>
          <FormField label="Product name" error={errors.productName} hint="In the header and every page title.">
            {(props) => <input {...props} value={form.productName} onChange={(e) => update({ productName: e.target.value })} />}
          </FormField>
          <div className="row">
            <FormField label="Accent colour" error={errors.accentColor} hint="Buttons, links and the current page in the navigation.">
              {(props) => (
                <div className="inline-add">
                  <input {...props} value={form.accentColor} spellCheck={false} placeholder="#1f5fbf"
                    onChange={(e) => update({ accentColor: e.target.value })} />
                  <input type="color" aria-label="Pick the accent colour" value={accent ?? '#1f5fbf'} style={{ width: '3rem', padding: '0.1rem' }}
                    onChange={(e) => update({ accentColor: e.target.value })} />
                </div>
              )}
            </FormField>
            <div className="field">
              <span className="label-like">Preview</span>
              <div>
                <span className="button" style={accent ? { background: accent, borderColor: accent, color: textOn(accent) } : undefined}>
                  {preview && <img className="brand-logo" src={preview} alt="" />}
                  {form.productName.trim() || 'Product name'}
                </span>
              </div>
            </div>
          </div>
          <FormField label="Logo URL" error={errors.logoUrl} hint={warning ?? 'Shown before the product name; leave empty for none.'}>
            {(props) => <input {...props} value={form.logoUrl} spellCheck={false} placeholder="/logo.svg"
              onChange={(e) => update({ logoUrl: e.target.value })} />}
          </FormField>
        </fieldset>
        <fieldset>
          <legend>Rate limits</legend>
          <p className="field-hint">Per member; every request counts, accepted or refused. Past the limit the portal answers “Too many requests” with how long to wait.</p>
          <div className="row">
            <FormField label="Workspace launches per minute" error={errors.launchesPerMinute}>
              {(props) => <input {...props} inputMode="numeric" value={form.launchesPerMinute} onChange={(e) => update({ launchesPerMinute: e.target.value })} />}
            </FormField>
            <FormField label="API requests per minute" error={errors.requestsPerMinute}>
              {(props) => <input {...props} inputMode="numeric" value={form.requestsPerMinute} onChange={(e) => update({ requestsPerMinute: e.target.value })} />}
            </FormField>
          </div>
        </fieldset>
        {error && <ErrorMessage message={error} />}
        <div className="form-actions">
          <button type="button" className="button-secondary" disabled={!dirty || saving}
            onClick={() => { if (loaded.state === 'loaded') setForm(settingsForm(loaded.value)); setDirty(false); setSubmitted(false); }}>
            Discard changes
          </button>
          <button type="submit" disabled={saving}>{saving ? 'Saving…' : 'Save settings'}</button>
        </div>
      </form>
    </section>
  );
}
