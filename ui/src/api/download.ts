/**
 * Downloads that need the bearer token: a plain link cannot carry it, so the file is fetched,
 * held as a Blob and handed to the browser's save through a temporary object URL.
 */
import type { ApiClient } from './client';

/** The file name from `Content-Disposition` (RFC 6266, `filename*` preferred), else `fallback`. */
export function filenameFrom(contentDisposition: string | null, fallback: string): string {
  if (contentDisposition) {
    const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(contentDisposition);
    if (extended) {
      try {
        return safeFilename(decodeURIComponent(extended[2].trim()), fallback);
      } catch {
        // fall through to the plain form
      }
    }
    const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(contentDisposition);
    if (plain) {
      return safeFilename((plain[2] ?? plain[1]).replace(/\\(.)/g, '$1').trim(), fallback);
    }
  }
  return fallback;
}

/** No directories, no control characters: the name is only a suggestion to the browser anyway. */
export function safeFilename(name: string, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[/\\]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim() ?? '';
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/** `audit.csv` → `audit-2026-11-29T14-03-05Z.csv`: several exports sort by time and do not overwrite each other. */
export function timestampedName(name: string, at: Date): string {
  const stamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${stamp}${name.slice(dot)}` : `${name}-${stamp}`;
}

/**
 * Fetches `path` with the caller's token and saves it under the portal's suggested name (or
 * `fallbackName`), timestamped. Answers the name and size saved.
 */
export async function downloadFile(api: ApiClient, path: string, fallbackName: string, at: Date = new Date(),
  signal?: AbortSignal): Promise<{ name: string; size: number }> {
  const response = await api.open(path, { method: 'GET', signal, headers: { Accept: '*/*' } });
  const blob = await response.blob();
  const name = timestampedName(filenameFrom(response.headers.get('Content-Disposition'), fallbackName), at);
  saveBlob(blob, name);
  return { name, size: blob.size };
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Some browsers read the URL after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
}
