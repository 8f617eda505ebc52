// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from './client';
import { downloadFile, filenameFrom, safeFilename, timestampedName } from './download';

afterEach(() => vi.restoreAllMocks());

describe('download naming', () => {
  it('reads the name the portal suggests', () => {
    expect(filenameFrom('attachment; filename="audit.csv"', 'x')).toBe('audit.csv');
    expect(filenameFrom('attachment; filename=audit.jsonl', 'x')).toBe('audit.jsonl');
    expect(filenameFrom("attachment; filename=\"a.csv\"; filename*=UTF-8''%C3%A9v%C3%A9nements.csv", 'x')).toBe('événements.csv');
    expect(filenameFrom('attachment; filename="say \\"hi\\".txt"', 'x')).toBe('say "hi".txt');
    expect(filenameFrom(null, 'audit.jsonl')).toBe('audit.jsonl');
    expect(filenameFrom('attachment', 'audit.jsonl')).toBe('audit.jsonl');
  });

  it('never names a path or an empty file', () => {
    expect(filenameFrom('attachment; filename="../../etc/passwd"', 'x')).toBe('passwd');
    expect(safeFilename('..', 'audit.csv')).toBe('audit.csv');
    expect(safeFilename('a\u0000b.csv', 'x')).toBe('ab.csv');
    expect(safeFilename('dir\\evil.csv', 'x')).toBe('evil.csv');
  });

  it('timestamps the name before its extension, without colons', () => {
    const at = new Date('2026-11-29T14:03:05.123Z');
    expect(timestampedName('audit.csv', at)).toBe('audit-2026-11-29T14-03-05Z.csv');
    expect(timestampedName('audit', at)).toBe('audit-2026-11-29T14-03-05Z');
  });

  it('fetches with the token and saves the body as a blob', async () => {
    const open = vi.fn(async () => new Response('a,b\r\n', {
      headers: { 'Content-Disposition': 'attachment; filename="audit.csv"' },
    }));
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => { created.push(blob); return 'blob:x'; });
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const saved = await downloadFile({ open } as unknown as ApiClient, '/api/v1/audit/export?format=csv', 'audit.jsonl',
      new Date('2026-11-29T14:03:05Z'));
    expect(open).toHaveBeenCalledWith('/api/v1/audit/export?format=csv', expect.objectContaining({ method: 'GET' }));
    expect(saved).toEqual({ name: 'audit-2026-11-29T14-03-05Z.csv', size: 5 });
    expect(clicked).toEqual(['audit-2026-11-29T14-03-05Z.csv']);
    expect(await created[0].text()).toBe('a,b\r\n');
    expect(document.querySelector('a[download]')).toBeNull();
  });
});
