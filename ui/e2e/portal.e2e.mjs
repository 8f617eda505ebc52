#!/usr/bin/env node
/*
 * End-to-end check of the UI against a RUNNING portal, in Debian's Chromium driven by
 * playwright-core (no browser is downloaded).
 *
 *   RDE_PORTAL_URL=http://localhost:8080 node e2e/portal.e2e.mjs
 *
 * Signs in as a demo user through the identity provider's login form, launches the sample
 * blueprint, waits for RUNNING, opens its terminal and runs a command there, closes it, opens the
 * preview of its app port in a new tab (a directory listing on the port's own origin), checks that a
 * browser without the preview's cookie is sent back to the portal and that the way back opens the
 * preview again, stops the workspace, waits for STOPPED, and deletes it. Then, in a second browser
 * as an admin: changes the member's workspace limit and back, restricts the blueprint's access list
 * and opens it again (round trip), finds the member's terminal session in the Security Center, adds
 * and removes a firewall rule, and checks that the audit log shows the workspace's events, verifies
 * intact and exports. Prints "N passed, N failed" and exits non-zero on any failure. Screenshots go to RDE_E2E_OUTPUT
 * (default ui/e2e-output).
 *
 * Environment: RDE_PORTAL_URL (required in CI; default http://localhost:8080), RDE_E2E_USER and
 * RDE_E2E_PASSWORD (default alice@example.com / alice), RDE_E2E_ADMIN and RDE_E2E_ADMIN_PASSWORD
 * (default admin@example.com / admin), RDE_E2E_BLUEPRINT (default bp-sample),
 * RDE_CHROMIUM (default /usr/bin/chromium), RDE_E2E_TIMEOUT_MS for the status waits (default 120000),
 * RDE_E2E_PREVIEW_PORT (default 8000: the sample blueprint's `python3 -m http.server`) and
 * RDE_E2E_PREVIEW_DOMAIN (default preview.localhost, which Chromium resolves to this machine).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.RDE_PORTAL_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const user = process.env.RDE_E2E_USER ?? 'alice@example.com';
const password = process.env.RDE_E2E_PASSWORD ?? 'alice';
const admin = process.env.RDE_E2E_ADMIN ?? 'admin@example.com';
const adminPassword = process.env.RDE_E2E_ADMIN_PASSWORD ?? 'admin';
const blueprintId = process.env.RDE_E2E_BLUEPRINT ?? 'bp-sample';
const statusTimeout = Number(process.env.RDE_E2E_TIMEOUT_MS ?? 120_000);
const output = resolve(process.env.RDE_E2E_OUTPUT ?? join(here, '..', 'e2e-output'));
const previewPort = Number(process.env.RDE_E2E_PREVIEW_PORT ?? 8000);
const previewDomain = process.env.RDE_E2E_PREVIEW_DOMAIN ?? 'preview.localhost';
const workspaceName = `e2e-${Date.now().toString(36)}`;

// Flags for a machine without outside network: no background traffic, no component updates.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const results = [];
let blocked = null;

/** Runs one step; after a failure the steps that depend on it are reported as failed, not run. */
async function step(name, body) {
  if (blocked) {
    results.push({ name, ok: false });
    console.log(`✗ ${name} (not run: "${blocked}" failed)`);
    return;
  }
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    blocked = name;
    console.log(`✗ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const row = (page) => page.locator(`tr[data-workspace="${workspaceName}"]`);

async function waitForStatus(page, status) {
  await row(page).and(page.locator(`[data-status="${status}"]`)).waitFor({ timeout: statusTimeout });
}

/** The workspace's id, from its name's link in the list (`/workspaces/<id>`). */
async function workspaceIdOf(page) {
  const href = await row(page).getByRole('link', { name: workspaceName, exact: true }).getAttribute('href');
  const id = /^\/workspaces\/([^/?#]+)$/.exec(href ?? '')?.[1];
  check(id, `the workspace's link is ${href}`);
  return decodeURIComponent(id);
}

/**
 * Waits until `page` shows the app's directory listing on the preview origin. Right after start the
 * app may not listen yet (the preview answers 502): the cookie is set by then, so reloading is fine.
 */
async function waitForDirectoryListing(page, host) {
  await page.waitForURL((url) => url.hostname === host && url.pathname !== '/__rde/preview/redeem', { timeout: 30_000 });
  await page.waitForLoadState();
  const deadline = Date.now() + 30_000;
  let title = await page.title();
  while (!title.startsWith('Directory listing') && Date.now() < deadline) {
    await page.waitForTimeout(1_000);
    await page.reload();
    title = await page.title();
  }
  check(title.startsWith('Directory listing'), `the preview's title is "${title}" at ${page.url()}`);
  check(!page.url().includes('ticket='), `the ticket is left in the address bar: ${page.url()}`);
}

/** Signs in through the identity provider's login form and waits for the workspaces page. */
async function signIn(page, email, secret) {
  await page.goto(`${base}/`);
  await page.locator('input[name="username"]').waitFor();
  await page.locator('input[name="username"]').fill(email);
  await page.locator('input[name="password"]').fill(secret);
  await page.locator('button[type="submit"], input[type="submit"]').first().click();
  await page.getByRole('heading', { name: 'My workspaces' }).waitFor();
}

/** Goes to a screen through the main navigation (an in-app navigation: no reload, no new sign-in). */
async function nav(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

async function main() {
  mkdirSync(output, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'rde-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.RDE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 820 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  const ticketAnswers = [];
  const sessionListAnswers = [];
  const previewTicketAnswers = [];
  page.on('response', (response) => {
    if (response.url().endsWith('/terminal-tickets')) ticketAnswers.push(response.status());
    if (response.url().endsWith('/terminal-sessions')) sessionListAnswers.push(response.status());
    if (response.url().endsWith('/preview-tickets')) previewTicketAnswers.push(response.status());
  });
  let workspaceId = null;
  let previewHost = null;
  let previewOrigin = null;
  let portalLinkBack = null;

  try {
    await step('the portal serves the UI with a strict Content-Security-Policy', async () => {
      const response = await page.request.get(`${base}/workspaces`, { headers: { Accept: 'text/html' } });
      check(response.status() === 200, `GET /workspaces answered ${response.status()}`);
      check((await response.text()).includes('<div id="root">'), 'GET /workspaces is not the UI');
      const csp = response.headers()['content-security-policy'] ?? '';
      check(/script-src 'self'(;|$)/.test(csp), `no strict script-src in CSP: ${csp}`);
      check(/frame-ancestors 'none'/.test(csp), `CSP allows framing: ${csp}`);
    });

    await step(`signs in as ${user} through the login form`, async () => {
      await signIn(page, user, password);
      check(page.url().startsWith(`${base}/`), `ended on ${page.url()}`);
      await page.getByText(user).first().waitFor();
    });

    await step('a member sees no admin pages in the navigation', async () => {
      const main = page.getByRole('navigation', { name: 'Main' });
      await main.getByRole('link', { name: 'Blueprints', exact: true }).waitFor();
      for (const name of ['Members', 'Security', 'Audit', 'Manage blueprints']) {
        check((await main.getByRole('link', { name, exact: true }).count()) === 0, `a member is offered "${name}"`);
      }
    });

    await step('leaves no code in the address bar and no token in web storage', async () => {
      const url = new URL(page.url());
      check(!url.searchParams.has('code') && !url.searchParams.has('state'), `URL after sign-in: ${page.url()}`);
      const stored = await page.evaluate(() => ({
        local: Object.keys(localStorage),
        session: Object.keys(sessionStorage),
      }));
      check(stored.local.length === 0 && stored.session.length === 0, `web storage holds ${JSON.stringify(stored)}`);
    });

    await step(`launches ${blueprintId} as ${workspaceName}`, async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Blueprints', exact: true }).click();
      const card = page.locator(`[data-blueprint="${blueprintId}"]`);
      await card.getByRole('button', { name: /^Launch/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Workspace name').fill(workspaceName);
      await dialog.getByRole('button', { name: 'Launch', exact: true }).click();
      await page.getByRole('heading', { name: 'My workspaces' }).waitFor();
      await row(page).waitFor();
    });

    await step('sees the workspace reach RUNNING', async () => {
      await waitForStatus(page, 'RUNNING');
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await page.screenshot({ path: join(output, 'workspace-running.png'), fullPage: true });
    });

    await step('offers a terminal, probing with the sessions list and spending no ticket', async () => {
      // The page asks GET …/terminal-sessions once a workspace is RUNNING; tickets are for opening.
      for (let i = 0; i < 50 && sessionListAnswers.length === 0; i++) await page.waitForTimeout(100);
      check(sessionListAnswers.length > 0, 'the page never probed the terminal sessions');
      check(ticketAnswers.length === 0, `the workspace list asked for ${ticketAnswers.length} terminal ticket(s)`);
      check(sessionListAnswers[0] === 200, `terminal-sessions answered ${sessionListAnswers[0]}`);
      await row(page).getByRole('link', { name: `Open a terminal in ${workspaceName}` }).waitFor();
    });

    await step('opens a terminal and runs a command in it', async () => {
      await row(page).getByRole('link', { name: `Open a terminal in ${workspaceName}` }).click();
      await page.getByRole('heading', { name: `Terminal: ${workspaceName}` }).waitFor();
      await page.getByRole('tab', { name: 'Shell', selected: true }).waitFor();
      const panel = page.locator('[role="tabpanel"]:not([hidden])');
      const terminal = panel.getByRole('group', { name: `Terminal Shell in ${workspaceName}` });
      await terminal.waitFor();
      await panel.locator('[data-state="ready"]').waitFor({ timeout: 30_000 });
      check(ticketAnswers.length === 1 && ticketAnswers[0] === 200, `ticket answers: ${JSON.stringify(ticketAnswers)}`);
      // xterm 6 renders rows into the DOM by default: the screen's text is readable there.
      const rows = terminal.locator('.xterm-rows');
      check((await rows.count()) === 1, 'no DOM renderer rows (.xterm-rows) in the terminal');
      await terminal.click();
      await page.keyboard.type('echo ui-$((6*7))');
      await page.keyboard.press('Enter');
      const deadline = Date.now() + 20_000;
      let text = '';
      while (Date.now() < deadline) {
        text = await rows.innerText();
        if (/(^|\s)ui-42(\s|$)/m.test(text)) break;
        await page.waitForTimeout(100);
      }
      check(/(^|\s)ui-42(\s|$)/m.test(text), `the terminal did not show ui-42; it shows:\n${text}`);
      await page.screenshot({ path: join(output, 'terminal.png'), fullPage: true });
    });

    await step('closes the terminal, ending its session', async () => {
      await page.getByRole('button', { name: 'Close terminal Shell' }).click();
      await page.getByRole('tab', { name: 'Shell' }).waitFor({ state: 'detached' });
      const summary = page.locator('.terminal-sessions summary');
      await summary.click();
      // The list reloads after the close; the shell's session must be gone from it.
      await page.locator('.terminal-sessions summary', { hasText: '(0)' }).waitFor({ timeout: 15_000 });
      await page.screenshot({ path: join(output, 'terminal-closed.png'), fullPage: true });
      await page.getByRole('link', { name: 'Back to workspaces' }).click();
      await page.getByRole('heading', { name: 'My workspaces' }).waitFor();
      await row(page).waitFor();
    });

    await step(`opens the preview of :${previewPort} in a new tab, on the port's own origin`, async () => {
      workspaceId = await workspaceIdOf(page);
      previewHost = `p${previewPort}--${workspaceId}.${previewDomain}`;
      const control = row(page).getByRole('button', { name: `Open :${previewPort} of ${workspaceName} in a new tab` });
      check(await control.isEnabled(), 'the preview control is disabled on a RUNNING workspace');
      const opened = context.waitForEvent('page');
      await control.click();
      const preview = await opened;
      preview.setDefaultTimeout(30_000);
      try {
        await waitForDirectoryListing(preview, previewHost);
        check(previewTicketAnswers.length === 1 && previewTicketAnswers[0] === 200,
          `preview ticket answers: ${JSON.stringify(previewTicketAnswers)}`);
        // The tab was cut from the portal page: the app there cannot script the portal.
        check(await preview.evaluate(() => window.opener === null), 'the preview tab can reach the portal page (window.opener)');
        previewOrigin = new URL(preview.url()).origin;
        await preview.screenshot({ path: join(output, 'preview.png'), fullPage: true });
      } finally {
        await preview.close();
      }
      // The portal now says where the preview lives.
      const shownOrigin = row(page).locator(`li[data-port="${previewPort}"] .preview-origin`);
      await shownOrigin.waitFor();
      const shown = await shownOrigin.textContent();
      check(shown === previewOrigin, `the workspace list shows the preview at ${shown}, it is at ${previewOrigin}`);
    });

    await step('a browser without the preview cookie is sent back to the portal (401)', async () => {
      const browser = await chromium.launch({
        executablePath: process.env.RDE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
      });
      try {
        const stranger = await (await browser.newContext()).newPage();
        const response = await stranger.goto(`${previewOrigin}/`);
        check(response?.status() === 401, `the preview answered ${response?.status()} without its cookie`);
        await stranger.getByRole('heading', { name: 'Open this preview from the portal' }).waitFor();
        check(!(await stranger.title()).startsWith('Directory listing'), 'the app was shown without a cookie');
        portalLinkBack = await stranger.getByRole('link', { name: /Open this preview from the RDE portal/ }).getAttribute('href');
        check(portalLinkBack?.endsWith(`/workspaces/${workspaceId}?preview=${previewPort}`), `the way back is ${portalLinkBack}`);
        await stranger.screenshot({ path: join(output, 'preview-without-cookie.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    });

    await step('the way back from an expired preview opens it again with a fresh ticket', async () => {
      // In the signed-in browser, as the owner following the link above; the portal signs in
      // without a password (the identity provider's session) and replaces itself with the preview.
      const back = await context.newPage();
      back.setDefaultTimeout(30_000);
      back.on('console', (message) => {
        if (message.type() === 'error' && message.location().url.startsWith(base)
          && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
      });
      back.on('pageerror', (error) => problems.push(`uncaught (way back): ${error.message}`));
      try {
        // The link's path on the portal under test (the link names the portal's configured URL).
        const link = new URL(portalLinkBack);
        await back.goto(new URL(link.pathname + link.search, `${base}/`).href);
        await waitForDirectoryListing(back, previewHost);
      } finally {
        await back.close();
      }
    });

    await step('stops it and sees STOPPED', async () => {
      await row(page).getByRole('button', { name: `Stop ${workspaceName}` }).click();
      await waitForStatus(page, 'STOPPED');
      check(await row(page).getByRole('button', { name: `Start ${workspaceName}` }).isEnabled(), 'Start is not offered');
      check(await row(page).getByRole('button', { name: `Stop ${workspaceName}` }).isDisabled(), 'Stop is still offered');
      check(await row(page).getByRole('button', { name: `Open :${previewPort} of ${workspaceName} in a new tab` }).isDisabled(),
        'the preview is still offered');
      await page.screenshot({ path: join(output, 'workspace-stopped.png'), fullPage: true });
    });

    await step('deletes it and it leaves the list', async () => {
      await row(page).getByRole('button', { name: `Delete ${workspaceName}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
      await row(page).waitFor({ state: 'detached', timeout: statusTimeout });
    });


    // The admin console, in a browser of its own (its own sign-in). Independent of the steps above
    // except for the session check, which needs the workspace.
    blocked = null;
    const adminBrowser = await chromium.launch({
      executablePath: process.env.RDE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
    });
    try {
      const adminContext = await adminBrowser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      const adminPage = await adminContext.newPage();
      adminPage.setDefaultTimeout(30_000);
      adminPage.on('console', (message) => {
        if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
      });
      adminPage.on('pageerror', (error) => problems.push(`uncaught (admin): ${error.message}`));
      await adminConsole(adminPage, workspaceId);
    } finally {
      await adminBrowser.close();
    }

    // Not dependent on the steps before: always checked.
    blocked = null;
    await step('no Content-Security-Policy violation or uncaught error on the way', async () => {
      check(problems.length === 0, problems.join('\n'));
    });
  } finally {
    await page.screenshot({ path: join(output, 'last.png'), fullPage: true }).catch(() => {});
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Admin steps against the current portal: members, blueprint ACL, Security Center, firewall, audit. */
async function adminConsole(page, workspaceId) {
  await step(`signs in as ${admin} and is offered the admin pages`, async () => {
    await signIn(page, admin, adminPassword);
    const main = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Members', 'Security', 'Audit', 'Manage blueprints', 'Clusters']) {
      await main.getByRole('link', { name, exact: true }).waitFor();
    }
  });

  await step(`lists the members and changes ${user}'s workspace limit, then restores it`, async () => {
    await nav(page, 'Members');
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
    const member = page.locator(`tr[data-member="${user}"]`);
    await member.waitFor();
    await page.locator(`tr[data-member="${admin}"]`).waitFor();
    const before = await member.locator('td[data-limit]').getAttribute('data-limit');
    const changed = before === '7' ? '6' : '7';
    const setLimit = async (value) => {
      await member.getByRole('button', { name: `Edit ${user}` }).click();
      const dialog = page.getByRole('dialog', { name: `Edit ${user}` });
      await dialog.getByLabel('Workspace limit').fill(value);
      await dialog.getByRole('button', { name: 'Save', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await setLimit(changed);
    await member.locator(`td[data-limit="${changed}"]`).waitFor();
    // From the portal, not the page's memory.
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await member.locator(`td[data-limit="${changed}"]`).waitFor();
    await page.screenshot({ path: join(output, 'admin-members.png'), fullPage: true });
    await setLimit(before === 'default' ? '' : before);
    await member.locator(`td[data-limit="${before}"]`).waitFor();
  });

  await step(`restricts ${blueprintId}'s access list, reads it back, and opens it again`, async () => {
    await nav(page, 'Manage blueprints');
    const edit = page.locator(`a[href="/admin/blueprints/${blueprintId}"]`);
    const open = async () => {
      await edit.click();
      await page.getByRole('group', { name: 'Who may see and launch it' }).waitFor();
    };
    await open();
    const acl = page.getByRole('group', { name: 'Who may see and launch it' });
    const wasOpen = await acl.getByRole('radio', { name: 'Every member' }).isChecked();
    await acl.getByRole('radio', { name: 'Only the people and domains listed' }).check();
    await acl.getByLabel('Add people or domains').fill(`${user}, e2e.example, not-an-address@`);
    await acl.getByRole('button', { name: 'Add', exact: true }).click();
    // The invalid entry stays in the field, explained; the valid ones become entries.
    await acl.getByText('"not-an-address@" is not an email address.').waitFor();
    await acl.locator(`[data-acl-entry="${user}"]`).waitFor();
    await acl.locator('[data-acl-entry="e2e.example"]').waitFor();
    await acl.getByLabel('Add people or domains').fill('');
    await page.screenshot({ path: join(output, 'admin-acl.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Manage blueprints' }).waitFor();
    await open();
    check(await acl.getByRole('radio', { name: 'Only the people and domains listed' }).isChecked(), 'the blueprint did not stay restricted');
    await acl.locator(`[data-acl-entry="${user}"]`).waitFor();
    await acl.locator('[data-acl-entry="e2e.example"]').waitFor();
    // Back as it was (the sample blueprint is open to every member).
    await acl.getByRole('button', { name: `Remove ${user}` }).click();
    await acl.getByRole('button', { name: 'Remove e2e.example' }).click();
    if (wasOpen) await acl.getByRole('radio', { name: 'Every member' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Manage blueprints' }).waitFor();
    if (wasOpen) await page.locator(`a[href="/admin/blueprints/${blueprintId}"]`).locator('xpath=ancestor::li[1]')
      .locator('[data-acl-mode="open"]').waitFor();
  });

  await step(`the Security Center shows ${user}'s terminal session`, async () => {
    check(workspaceId, 'no workspace was created earlier');
    await nav(page, 'Security');
    await page.getByRole('heading', { name: 'Security Center' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Refreshing every' }).waitFor();
    const session = page.locator(`tr[data-workspace="${workspaceId}"][data-type="terminal"]`).first();
    // The connection log is a projection: give it a few refreshes to catch up.
    for (let i = 0; i < 10 && (await session.count()) === 0; i++) {
      await page.waitForTimeout(1_000);
      await page.getByRole('button', { name: 'Refresh closed sessions' }).click();
    }
    await session.waitFor({ timeout: 5_000 });
    check((await session.textContent()).includes(user), `the session row does not name ${user}`);
    await page.screenshot({ path: join(output, 'admin-sessions.png'), fullPage: true });
  });

  await step('adds a firewall rule, reads it back, and removes it', async () => {
    const cidr = '192.0.2.0/24';
    const firewall = page.getByRole('navigation', { name: 'Security Center' });
    const reopen = async () => {
      await firewall.getByRole('link', { name: 'Sessions' }).click();
      await firewall.getByRole('link', { name: 'Firewall rules' }).click();
      await page.getByRole('note', { name: 'How the rules are applied' }).waitFor();
    };
    await reopen();
    const rule = page.locator(`[data-rule="${cidr}"]`);
    check((await rule.count()) === 0, `${cidr} is already a rule`);
    await page.getByRole('button', { name: 'Add deny rule' }).click();
    await page.getByLabel(/^Network of rule \d+$/).last().fill(cidr);
    await page.getByLabel(/^Note of rule \d+$/).last().fill('e2e: documentation network');
    await page.getByLabel('Address', { exact: true }).fill('192.0.2.77');
    await page.getByText(/^Refused\./).waitFor();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText(/^Firewall saved/).waitFor();
    await reopen();
    await rule.waitFor();
    await page.screenshot({ path: join(output, 'admin-firewall.png'), fullPage: true });
    await rule.getByRole('button', { name: /^Remove rule \d+/ }).click();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText(/^Firewall saved/).waitFor();
    await reopen();
    check((await rule.count()) === 0, `${cidr} is still a rule after removing it`);
  });

  await step('the audit log shows the workspace\'s events, verifies intact and exports', async () => {
    await nav(page, 'Audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const events = page.getByRole('table', { name: 'Audit events' });
    await events.locator('tbody tr').first().waitFor();
    if (workspaceId) {
      await page.getByLabel('Workspace', { exact: true }).fill(workspaceId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await events.locator('tr[data-type="WorkspaceLaunchedEvent"]').waitFor();
    }
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor({ timeout: 60_000 });
    check((await verdict.getAttribute('data-verdict')) === 'ok', `verification says: ${await verdict.textContent()}`);
    check((await verdict.textContent()).includes('intact'), `verification says: ${await verdict.textContent()}`);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const file = await download;
    check(/^audit-.+\.jsonl$/.test(file.suggestedFilename()), `the export is named ${file.suggestedFilename()}`);
    await page.screenshot({ path: join(output, 'admin-audit.png'), fullPage: true });
  });
}

try {
  await main();
} catch (error) {
  results.push({ name: 'browser start', ok: false });
  console.log(`✗ could not run the browser: ${error?.message ?? error}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`Screenshots: ${output}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
