/** The terminal page's tabs as plain data, so their rules are testable without a browser. */
import type { TabSpec } from './TerminalView';

export interface Tool {
  name: string;
  command: string;
}

export interface TabState extends TabSpec {
  /** Tool tabs start dormant: the AI tool is started only when its tab is first shown. */
  started: boolean;
}

let counter = 0;
function nextKey(): string {
  counter += 1;
  return `tab-${counter}`;
}

/** A shell (started at once) and one dormant tab per AI tool of the blueprint. */
export function initialTabs(tools: readonly Tool[]): TabState[] {
  return [
    { key: nextKey(), label: 'Shell', command: null, session: null, started: true },
    ...tools.map((tool) => ({ key: nextKey(), label: tool.name, command: tool.name, session: null, started: false })),
  ];
}

/** "Shell", then "Shell 2", "Shell 3"… so several shells can be told apart. */
export function shellLabel(tabs: readonly TabState[]): string {
  const taken = new Set(tabs.map((t) => t.label));
  if (!taken.has('Shell')) return 'Shell';
  for (let n = 2; ; n++) if (!taken.has(`Shell ${n}`)) return `Shell ${n}`;
}

export function newShell(tabs: readonly TabState[]): TabState {
  return { key: nextKey(), label: shellLabel(tabs), command: null, session: null, started: true };
}

/** Another terminal running an AI tool, started at once (the user asked for it). */
export function newToolTab(tool: Tool): TabState {
  return { key: nextKey(), label: tool.name, command: tool.name, session: null, started: true };
}

/**
 * A tab re-attached to an existing session. `command` is the session's command line (what the
 * sessions list says), so the tab is named after the tool that runs it when one matches.
 */
export function reattachTab(session: string, command: string, tools: readonly Tool[]): TabState {
  const tool = tools.find((t) => t.command === command);
  const label = tool ? tool.name : command ? command.split(/\s+/)[0] : `Session ${session.slice(-6)}`;
  return { key: nextKey(), label, command: null, session, started: true };
}

/** Replaces the tab `key` with `replacement` in the same place. */
export function replaceTab(tabs: readonly TabState[], key: string, replacement: TabState): TabState[] {
  return tabs.map((t) => (t.key === key ? replacement : t));
}

/** After closing tab `key`: which tab to show (its right neighbour, else its left), or null. */
export function nextActiveAfterClose(tabs: readonly TabState[], key: string, active: string | null): string | null {
  const index = tabs.findIndex((t) => t.key === key);
  if (active !== key) return active;
  const rest = tabs.filter((t) => t.key !== key);
  if (rest.length === 0) return null;
  return rest[Math.min(index, rest.length - 1)].key;
}

/** The WAI-ARIA tabs keyboard pattern: arrows move (wrapping), Home and End jump. */
export function tabIndexForKey(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowRight': return (current + 1) % count;
    case 'ArrowLeft': return (current - 1 + count) % count;
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}
