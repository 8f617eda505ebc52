/** Small building blocks shared by the screens. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { WorkspaceStatus } from '../api/types';
import { isTransitional, labelOf, toneOf } from '../workspaces/status';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </span>
  );
}

export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="alert alert-error" role="alert">
      <span>{message}</span>
      {onRetry && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Notice({ children, onDismiss }: { children: ReactNode; onDismiss?: () => void }) {
  return (
    <div className="alert alert-info" role="status">
      <span>{children}</span>
      {onDismiss && (
        <button type="button" className="button-link" onClick={onDismiss} aria-label="Dismiss message">
          ×
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      <div>{children}</div>
    </div>
  );
}

export function StatusBadge({ status }: { status: WorkspaceStatus }) {
  return (
    <span className={`badge badge-${toneOf(status)}`} data-status={status}>
      {isTransitional(status) && <span className="dot-pulse" aria-hidden="true" />}
      {labelOf(status)}
    </span>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/**
 * A modal on the native <dialog>: focus moves into it, Escape closes it, and the page behind is
 * inert, without a focus-trap library.
 */
export function Dialog({ open, title, onClose, children }: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" onCancel={(e) => { e.preventDefault(); onClose(); }}>
      {open && (
        <>
          <h2 id="dialog-title">{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/** Copies text; says so for screen readers too. Falls back to selecting it for a manual copy. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <button type="button" className="button-secondary" onClick={copy}>
        {copied === 'yes' ? 'Copied' : label}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied === 'yes' ? 'Copied to the clipboard' : copied === 'failed' ? 'Copying failed: select the text and copy it' : ''}
      </span>
    </>
  );
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function RelativeTime({ iso }: { iso: string }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => tick((n) => n + 1), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const text = abs < 60 ? relative.format(Math.round(seconds / 10) * 10, 'second')
    : abs < 3600 ? relative.format(Math.round(seconds / 60), 'minute')
      : abs < 86400 ? relative.format(Math.round(seconds / 3600), 'hour')
        : relative.format(Math.round(seconds / 86400), 'day');
  return <time dateTime={iso} title={date.toLocaleString()}>{text}</time>;
}

/** The foot of a cursor-paged list: "Load more" while there is more, and what went wrong loading it. */
export function LoadMore({ hasMore, loading, error, onMore, what, shown }: {
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  onMore: () => void;
  /** "members", "events". */
  what: string;
  shown: number;
}) {
  return (
    <div className="load-more">
      <span className="muted" aria-live="polite">
        {hasMore ? `${shown} ${shown === 1 ? singular(what) : what} shown` : shown === 1 ? `The only ${singular(what)}` : `All ${shown} ${what}`}
      </span>
      {error && <ErrorMessage message={error} onRetry={onMore} />}
      {hasMore && !error && (
        <button type="button" className="button-secondary" onClick={onMore} disabled={loading}>
          {loading ? 'Loading…' : `Load more ${what}`}
        </button>
      )}
    </div>
  );
}

/** "members" → "member": the lists' nouns are regular plurals. */
function singular(plural: string): string {
  return plural.endsWith('s') ? plural.slice(0, -1) : plural;
}

/** A labelled form field with its hint or error wired for screen readers. */
export function FormField({ label, error, hint, children }: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const noteId = useId();
  const note = error ?? hint;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': note ? noteId : undefined })}
      {note && <p id={noteId} className={error ? 'field-error' : 'field-hint'}>{note}</p>}
    </div>
  );
}

/** Bytes as people read them: 999 B, 1.2 KiB, 3.4 MiB. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** An absolute time for tables: local, to the second, with the ISO form on hover. */
export function Timestamp({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  const date = new Date(iso);
  return <time dateTime={iso} title={iso}>{date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}</time>;
}
