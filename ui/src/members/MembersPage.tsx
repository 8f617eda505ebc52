import { useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile, useDocumentTitle } from '../app/hooks';
import { usePaged } from '../app/paged';
import { replaceItem, withQuery } from '../api/paging';
import type { ListResponse, Member } from '../api/types';
import { Dialog, EmptyState, ErrorMessage, FormField, LoadMore, Notice, PageHeader, Spinner } from '../components/common';
import { describeLimit, EMPTY_MEMBER, memberForm, memberPath, memberRequest, validateMember, type MemberForm } from './form';

const PAGE_SIZE = 50;
const keyOf = (m: Member) => m.email;

/** Admins: who may use the portal, their role, whether they are trusted, how many workspaces they may run. */
export function MembersPage() {
  const { api, me } = useApp();
  useDocumentTitle('Members');
  const { result, loadMore, reload, update } = usePaged(
    (cursor, signal) => api.get<ListResponse<Member>>(withQuery('/api/v1/members', { limit: PAGE_SIZE, cursor }), signal),
    keyOf,
  );
  const [editing, setEditing] = useState<Member | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const saved = (member: Member, invited: boolean) => {
    if (invited) {
      reload();
    } else {
      update((list) => replaceItem(list, member.email, keyOf, member));
    }
    setNotice(invited ? `${member.email} can now sign in as ${member.role === 'admin' ? 'an admin' : 'a member'}.`
      : `${member.email} saved.`);
    if (member.email === me.email && member.role !== me.role) {
      // The navigation and every admin page depend on the caller's role.
      window.location.reload();
    }
  };

  return (
    <section>
      <PageHeader title="Members">
        <button type="button" className="button-secondary" onClick={reload}>Refresh</button>
      </PageHeader>
      <p className="lead">
        People who may sign in to the portal. Admins manage blueprints, clusters and members; trusted members have
        their publish requests approved at once. The workspace limit counts running workspaces.
      </p>
      {notice && <Notice onDismiss={() => setNotice(null)}>{notice}</Notice>}
      <InviteMember onSaved={(m) => saved(m, true)} />
      <h2>All members</h2>
      {result.state === 'loading' && <Spinner label="Loading members…" />}
      {result.state === 'failed' && <ErrorMessage message={result.message} onRetry={reload} />}
      {result.state === 'loaded' && result.list.items.length === 0 && (
        <EmptyState title="No members yet"><p>Invite the first one above.</p></EmptyState>
      )}
      {result.state === 'loaded' && result.list.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Trusted</th>
                  <th scope="col">Workspace limit</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {result.list.items.map((m) => (
                  <tr key={m.email} data-member={m.email}>
                    <th scope="row">{m.email}{m.email === me.email && <span className="you">(you)</span>}</th>
                    <td><span className={`badge ${m.role === 'admin' ? 'badge-busy' : 'badge-idle'}`}>{m.role === 'admin' ? 'Admin' : 'User'}</span></td>
                    <td>{m.trusted ? 'Yes' : 'No'}</td>
                    <td data-limit={m.workspaceLimit ?? 'default'}>{describeLimit(m.workspaceLimit)}</td>
                    <td>
                      <div className="row-actions">
                        <button type="button" className="button-secondary" aria-label={`Edit ${m.email}`} onClick={() => setEditing(m)}>Edit</button>
                        <button type="button" className="button-danger" aria-label={`Remove ${m.email}`} onClick={() => setRemoving(m)}>Remove</button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore hasMore={result.list.next !== null} loading={result.loadingMore} error={result.moreError}
            onMore={loadMore} what="members" shown={result.list.items.length} />
        </>
      )}
      <EditMember member={editing} self={editing?.email === me.email} onClose={() => setEditing(null)}
        onSaved={(m) => { setEditing(null); saved(m, false); }} />
      <RemoveMember member={removing} self={removing?.email === me.email} onClose={() => setRemoving(null)}
        onRemoved={(m) => {
          setRemoving(null);
          update((list) => replaceItem(list, m.email, keyOf, null));
          setNotice(`${m.email} was removed. Their running workspaces keep running until stopped.`);
        }} />
    </section>
  );
}

function MemberFields({ form, errors, onChange, withEmail }: {
  form: MemberForm;
  errors: ReturnType<typeof validateMember>;
  onChange: (patch: Partial<MemberForm>) => void;
  withEmail: boolean;
}) {
  return (
    <div className="row">
      {withEmail && (
        <FormField label="Email" error={errors.email} hint="The address they sign in with.">
          {(props) => <input {...props} type="email" value={form.email} autoComplete="off" spellCheck={false}
            placeholder="carol@example.com" onChange={(e) => onChange({ email: e.target.value })} />}
        </FormField>
      )}
      <FormField label="Role">
        {(props) => (
          <select {...props} value={form.role} onChange={(e) => onChange({ role: e.target.value as MemberForm['role'] })}>
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        )}
      </FormField>
      <FormField label="Workspace limit" error={errors.limit} hint="Running workspaces at once; empty for the organisation default, 0 for none.">
        {(props) => <input {...props} inputMode="numeric" value={form.limit} placeholder="Default"
          onChange={(e) => onChange({ limit: e.target.value })} />}
      </FormField>
      <div className="field">
        <label className="check">
          <input type="checkbox" checked={form.trusted} onChange={(e) => onChange({ trusted: e.target.checked })} />
          Trusted
        </label>
        <p className="field-hint">Publish requests are approved without review.</p>
      </div>
    </div>
  );
}

function InviteMember({ onSaved }: { onSaved: (m: Member) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<MemberForm>(EMPTY_MEMBER);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useBusyWhile(form.email !== '' || saving, 'invite member form');
  const errors = submitted ? validateMember(form) : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validateMember(form)).length > 0) return;
    setSaving(true);
    setError(null);
    try {
      const member = await api.put<Member>(memberPath(form.email), memberRequest(form));
      setForm(EMPTY_MEMBER);
      setSubmitted(false);
      onSaved(member);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="panel form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Invite a member</h2>
      <p className="field-hint">Inviting someone who is already a member changes them instead.</p>
      <MemberFields form={form} errors={errors} withEmail onChange={(patch) => setForm({ ...form, ...patch })} />
      {error && <ErrorMessage message={error} />}
      <div className="form-actions">
        <button type="submit" disabled={saving}>{saving ? 'Inviting…' : 'Invite'}</button>
      </div>
    </form>
  );
}

function EditMember({ member, self, onClose, onSaved }: {
  member: Member | null;
  self: boolean;
  onClose: () => void;
  onSaved: (m: Member) => void;
}) {
  const { api } = useApp();
  const [form, setForm] = useState<MemberForm | null>(null);
  const [shownFor, setShownFor] = useState<Member | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (member !== shownFor) {
    // A new member in the dialog: start from their current values.
    setShownFor(member);
    setForm(member ? memberForm(member) : null);
    setError(null);
  }
  const errors = form ? validateMember(form) : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form || !member || Object.keys(errors).length > 0) return;
    setSaving(true);
    setError(null);
    try {
      onSaved(await api.put<Member>(memberPath(member.email), memberRequest(form)));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={member !== null} title={member ? `Edit ${member.email}` : 'Edit member'} onClose={onClose}>
      {form && (
        <form onSubmit={submit} noValidate>
          <MemberFields form={form} errors={errors} withEmail={false} onChange={(patch) => setForm({ ...form, ...patch })} />
          {self && form.role === 'user' && (
            <p className="field-error">This is you: as a user you will no longer see the admin pages.</p>
          )}
          {error && <ErrorMessage message={error} />}
          <div className="dialog-actions">
            <button type="button" className="button-secondary" onClick={onClose}>Cancel</button>
            <button type="submit" disabled={saving || Object.keys(errors).length > 0}>{saving ? 'Saving…' : 'Save'}</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RemoveMember({ member, self, onClose, onRemoved }: {
  member: Member | null;
  self: boolean;
  onClose: () => void;
  onRemoved: (m: Member) => void;
}) {
  const { api } = useApp();
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shownFor, setShownFor] = useState<Member | null>(null);
  if (member !== shownFor) {
    setShownFor(member);
    setError(null);
  }
  const remove = async () => {
    if (!member) return;
    setRemoving(true);
    setError(null);
    try {
      await api.delete(memberPath(member.email));
      onRemoved(member);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRemoving(false);
    }
  };
  return (
    <Dialog open={member !== null} title={member ? `Remove ${member.email}?` : 'Remove member'} onClose={onClose}>
      <p>They will no longer be able to sign in to the portal.{self && ' This is you: you will lose access at once.'}</p>
      {error && <ErrorMessage message={error} />}
      <div className="dialog-actions">
        <button type="button" className="button-secondary" onClick={onClose}>Cancel</button>
        <button type="button" className="button-danger" onClick={remove} disabled={removing}>{removing ? 'Removing…' : 'Remove'}</button>
      </div>
    </Dialog>
  );
}
