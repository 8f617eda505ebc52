import { describe, expect, it } from 'vitest';
import { initialTabs, newShell, nextActiveAfterClose, reattachTab, shellLabel, tabIndexForKey } from './tabs';

const tools = [{ name: 'claude', command: 'claude --dangerously-nothing' }, { name: 'aider', command: 'aider' }];

describe('terminal tabs', () => {
  it('opens a shell and one dormant tab per AI tool, by name', () => {
    const tabs = initialTabs(tools);
    expect(tabs.map((t) => [t.label, t.command, t.started])).toEqual([
      ['Shell', null, true], ['claude', 'claude', false], ['aider', 'aider', false]]);
    expect(new Set(tabs.map((t) => t.key)).size).toBe(3);
  });

  it('numbers further shells', () => {
    const tabs = initialTabs([]);
    expect(shellLabel(tabs)).toBe('Shell 2');
    expect(newShell([...tabs, newShell(tabs)]).label).toBe('Shell 3');
    expect(shellLabel([])).toBe('Shell');
  });

  it('names a re-attached session after its tool when the command matches', () => {
    expect(reattachTab('ts-1', 'claude --dangerously-nothing', tools)).toMatchObject({ label: 'claude', session: 'ts-1', command: null });
    expect(reattachTab('ts-abcdef', '', tools).label).toBe('Session abcdef');
  });

  it('shows a neighbour after closing the shown tab', () => {
    const tabs = initialTabs(tools);
    const [a, b, c] = tabs.map((t) => t.key);
    expect(nextActiveAfterClose(tabs, b, b)).toBe(c);
    expect(nextActiveAfterClose(tabs, c, c)).toBe(b);
    expect(nextActiveAfterClose(tabs, a, c)).toBe(c);
    expect(nextActiveAfterClose([tabs[0]], a, a)).toBeNull();
  });

  it('moves between tabs with the arrow keys, Home and End', () => {
    expect(tabIndexForKey('ArrowRight', 2, 3)).toBe(0);
    expect(tabIndexForKey('ArrowLeft', 0, 3)).toBe(2);
    expect(tabIndexForKey('Home', 2, 3)).toBe(0);
    expect(tabIndexForKey('End', 0, 3)).toBe(2);
    expect(tabIndexForKey('a', 0, 3)).toBeNull();
  });
});
