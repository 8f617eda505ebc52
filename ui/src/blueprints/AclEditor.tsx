import { useId, useState, type KeyboardEvent } from 'react';
import type { Acl, AclMode } from '../api/types';
import { addEntries, parseEntries, removeEntry, type AclEntry } from './acl';

/**
 * Who may see and launch a blueprint: everyone, or the listed people and email domains. Entries go
 * in one field (pasting a list works); the field's leftover is shown as the form's error.
 */
export function AclEditor({ acl, pending, error, onChange }: {
  acl: Acl;
  pending: string;
  error?: string;
  onChange: (acl: Acl, pending: string) => void;
}) {
  const name = useId();
  const inputId = useId();
  const noteId = useId();
  const [addError, setAddError] = useState<string | null>(null);
  const shownError = addError ?? error;

  const setMode = (mode: AclMode) => onChange({ ...acl, mode }, pending);
  const add = () => {
    const parsed = parseEntries(pending);
    onChange(addEntries(acl, parsed.entries), parsed.rejected.join(', '));
    setAddError(parsed.errors.length > 0 ? parsed.errors.join(' ') : null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      // Enter adds the entry here rather than saving the whole form.
      event.preventDefault();
      add();
    }
  };
  const remove = (entry: AclEntry) => onChange(removeEntry(acl, entry), pending);
  const nobody = acl.emails.length === 0 && acl.domains.length === 0;

  return (
    <fieldset className="acl">
      <legend>Who may see and launch it</legend>
      <div className="radio-row" role="radiogroup" aria-label="Access">
        <label className="radio">
          <input type="radio" name={name} value="open" checked={acl.mode === 'open'} onChange={() => setMode('open')} />
          Every member
        </label>
        <label className="radio">
          <input type="radio" name={name} value="restricted" checked={acl.mode === 'restricted'}
            onChange={() => setMode('restricted')} />
          Only the people and domains listed
        </label>
      </div>
      {acl.mode === 'restricted' && (
        <>
          <div className="field">
            <label htmlFor={inputId}>Add people or domains</label>
            <div className="inline-add">
              <input id={inputId} value={pending} autoComplete="off" spellCheck={false}
                placeholder="ada@example.com, example.org"
                aria-invalid={shownError ? true : undefined} aria-describedby={noteId}
                onKeyDown={onKeyDown}
                onChange={(e) => { setAddError(null); onChange(acl, e.target.value); }} />
              <button type="button" className="button-secondary" onClick={add} disabled={!pending.trim()}>Add</button>
            </div>
            <p id={noteId} className={shownError ? 'field-error' : 'field-hint'}>
              {shownError ?? 'An email admits one person; a domain such as example.com (or @example.com) admits everyone with an address there. Separate several with commas.'}
            </p>
          </div>
          {nobody ? (
            <p className="field-hint" role="note">Nobody is listed yet: only administrators will see this blueprint.</p>
          ) : (
            <div className="acl-lists">
              <AclList title="People" entries={acl.emails.map((value) => ({ kind: 'email', value }))} onRemove={remove} />
              <AclList title="Email domains" entries={acl.domains.map((value) => ({ kind: 'domain', value }))} onRemove={remove} />
            </div>
          )}
        </>
      )}
      {acl.mode === 'open' && (acl.emails.length > 0 || acl.domains.length > 0) && (
        <p className="field-hint">The list ({acl.emails.length + acl.domains.length} entries) is kept but not applied while the blueprint is open.</p>
      )}
      <p className="field-hint">Administrators always see and may launch every blueprint.</p>
    </fieldset>
  );
}

function AclList({ title, entries, onRemove }: { title: string; entries: AclEntry[]; onRemove: (e: AclEntry) => void }) {
  const headingId = useId();
  if (entries.length === 0) return null;
  return (
    <div>
      <h3 id={headingId}>{title} ({entries.length})</h3>
      <ul className="chips" aria-labelledby={headingId}>
        {entries.map((entry) => (
          <li key={entry.value} className="chip" data-acl-entry={entry.value}>
            <span>{entry.kind === 'domain' ? `@${entry.value}` : entry.value}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${entry.value}`} onClick={() => onRemove(entry)}>×</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
