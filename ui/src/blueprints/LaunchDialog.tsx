import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../app/context';
import { useBusyWhile } from '../app/hooks';
import type { Accepted, Blueprint } from '../api/types';
import { Dialog, ErrorMessage } from '../components/common';
import { MAX_NAME_LENGTH, suggestName, validateWorkspaceName } from '../workspaces/name';

/** Asks for the workspace name and launches; the portal answers 202 and the agent takes over. */
export function LaunchDialog({ blueprint, onClose, onLaunched }: {
  blueprint: Blueprint;
  onClose: () => void;
  onLaunched: (accepted: Accepted, name: string) => void;
}) {
  const { api } = useApp();
  const [name, setName] = useState(() => suggestName(blueprint.name));
  const [touched, setTouched] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = validateWorkspaceName(name);
  const inputId = useId();
  const hintId = useId();
  useBusyWhile(touched || sending, 'launch dialog');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setSending(true);
    setError(null);
    try {
      const accepted = await api.post<Accepted>('/api/v1/workspaces', { blueprintId: blueprint.id, name });
      onLaunched(accepted, name);
    } catch (e) {
      setError((e as Error).message);
      setSending(false);
    }
  };

  const showProblem = touched && problem;
  return (
    <Dialog open title={`Launch ${blueprint.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Workspace name</label>
          <input
            id={inputId}
            name="name"
            value={name}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            maxLength={MAX_NAME_LENGTH + 10}
            aria-invalid={showProblem ? true : undefined}
            aria-describedby={hintId}
            onChange={(e) => { setName(e.target.value); setTouched(true); }}
          />
          <p id={hintId} className={showProblem ? 'field-error' : 'field-hint'}>
            {showProblem || `Lower-case letters, digits and '-', starting with a letter; at most ${MAX_NAME_LENGTH}.`}
          </p>
        </div>
        {error && <ErrorMessage message={error} />}
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onClose}>Cancel</button>
          <button type="submit" disabled={sending}>{sending ? 'Launching…' : 'Launch'}</button>
        </div>
      </form>
    </Dialog>
  );
}
