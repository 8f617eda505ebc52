// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Acl } from '../api/types';
import { AclEditor } from './AclEditor';

afterEach(cleanup);

let latest: Acl | null = null;

function Harness({ initial }: { initial: Acl }) {
  const [acl, setAcl] = useState(initial);
  const [pending, setPending] = useState('');
  latest = acl;
  return <AclEditor acl={acl} pending={pending} onChange={(a, p) => { setAcl(a); setPending(p); }} />;
}

describe('AclEditor', () => {
  it('adds valid entries, leaves the invalid one in the field and says why', () => {
    render(<Harness initial={{ mode: 'restricted', emails: [], domains: [] }} />);
    expect(screen.getByRole('note').textContent).toContain('only administrators');
    const field = screen.getByLabelText('Add people or domains') as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'Ada@example.com, example.org, bad@' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(latest).toEqual({ mode: 'restricted', emails: ['ada@example.com'], domains: ['example.org'] });
    expect(field.value).toBe('bad@');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('"bad@" is not an email address.')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'People (1)' }).textContent).toContain('ada@example.com');
    expect(screen.getByRole('list', { name: 'Email domains (1)' }).textContent).toContain('@example.org');
    fireEvent.click(screen.getByRole('button', { name: 'Remove ada@example.com' }));
    expect(latest?.emails).toEqual([]);
  });

  it('switches between open and restricted, keeping the list', () => {
    render(<Harness initial={{ mode: 'restricted', emails: ['a@x.io'], domains: [] }} />);
    fireEvent.click(screen.getByRole('radio', { name: 'Every member' }));
    expect(latest).toEqual({ mode: 'open', emails: ['a@x.io'], domains: [] });
    expect(screen.queryByLabelText('Add people or domains')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Only the people and domains listed' }));
    expect(screen.getByRole('list', { name: 'People (1)' })).toBeTruthy();
  });
});
