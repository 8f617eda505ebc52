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
 * preview again. Then, with an admin in a second browser: the member requests publishing the port
 * with a note, the admin approves it in the review queue with a comment, the member sees it approved
 * and then PUBLISHED and opens the published app (a snapshot, on its own origin); the admin denies
 * loopback in the firewall, the member's preview is refused, the admin finds the blocked attempt and
 * removes the rules again. The member unpublishes the app, whose address then answers "not found",
 * stops the workspace, waits for STOPPED, and deletes it. The
 * admin then changes the member's workspace limit and back, restricts the blueprint's access list and
 * opens it again (round trip), finds the member's terminal session in the Security Center, and checks
 * that the audit log shows the workspace's events, verifies intact and exports. After sign-in and at
 * the end of each signed-in phase, no token is in web storage or the address bar.
 *
 * Prints "N passed, N failed" and exits non-zero on any failure. Each step saves a screenshot of its
 * final state as <NN>-<step>.png in RDE_E2E_OUTPUT (default ui/target/e2e), with a few extra ones
 * (the preview, the published app, the blocked preview).
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
const output = resolve(process.env.RDE_E2E_OUTPUT ?? join(here, '..', 'target', 'e2e'));
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
/** The page each step acts on: its final state is saved as `<NN>-<step>.png` in the output. */
let shotPage = null;

function focus(page) {
  shotPage = page;
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 70);
}

async function shoot(name, ok) {
  if (!shotPage || shotPage.isClosed()) return;
  const file = `${String(results.length).padStart(2, '0')}-${slug(name)}${ok ? '' : '-FAILED'}.png`;
  await shotPage.screenshot({ path: join(output, file), fullPage: true, timeout: 10_000 }).catch(() => {});
}

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
    await shoot(name, true);
    console.log(`✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    await shoot(name, false);
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
  const at = typeof host === 'function' ? host : (name) => name === host;
  await page.waitForURL((url) => at(url.hostname) && url.pathname !== '/__rde/preview/redeem', { timeout: 30_000 });
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

/**
 * Neither web storage nor the address bar holds a token, code or ticket: tokens live in memory only.
 * Looks at the page's origin's localStorage and sessionStorage, keys and values.
 */
async function checkNoTokens(page) {
  const url = new URL(page.url());
  for (const name of ['code', 'state', 'ticket', 'access_token', 'id_token', 'refresh_token', 'token']) {
    check(!url.searchParams.has(name), `the address bar holds "${name}": ${page.url()}`);
  }
  check(!/(access|id|refresh)_token|[#&]code=|eyJ[\w-]{10,}\./.test(url.hash + url.search), `the address bar holds a token: ${page.url()}`);
  const stored = await page.evaluate(() => {
    const all = (storage) => Object.keys(storage).map((k) => [k, storage.getItem(k) ?? '']);
    return { local: all(localStorage), session: all(sessionStorage) };
  });
  const tokenish = (value) => /eyJ[\w-]{10,}\.|token|refresh|code_verifier|bearer/i.test(value);
  for (const [where, entries] of Object.entries(stored)) {
    for (const [key, value] of entries) {
      check(!tokenish(key) && !tokenish(value), `${where}Storage holds "${key}" on ${url.origin}`);
    }
  }
  return stored;
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
  focus(page);
  // The admin, in a browser of its own (its own sign-in), reviews and guards while the member works.
  const adminBrowser = await chromium.launch({
    executablePath: process.env.RDE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
  });
  const adminContext = await adminBrowser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const adminPage = await adminContext.newPage();
  adminPage.setDefaultTimeout(30_000);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) {
      problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  adminPage.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  adminPage.on('pageerror', (error) => problems.push(`uncaught (admin): ${error.message}`));
  const ticketAnswers = [];
  const sessionListAnswers = [];
  const previewTicketAnswers = [];
  // What each terminal socket did, from the browser's side (the ticket's value is never kept), so
  // that a failed terminal step says whether the browser opened the socket and sent its auth.
  const socketEvents = [];
  const started = Date.now();
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/terminal')) return;
    const id = socketEvents.filter((e) => e.startsWith('open')).length + 1;
    const note = (what) => socketEvents.push(`${what} #${id} at ${Date.now() - started} ms`);
    note('open');
    socket.on('framesent', (frame) => {
      const text = typeof frame.payload === 'string' ? frame.payload : '';
      if (text.includes('"auth"')) note('auth sent');
    });
    socket.on('framereceived', (frame) => {
      const text = typeof frame.payload === 'string' ? frame.payload : '';
      try {
        if (text.startsWith('{')) note(`${JSON.parse(text).type} received`);
      } catch {
        note('unreadable control message received');
      }
    });
    socket.on('socketerror', (error) => note(`error ${error}`));
    socket.on('close', () => note('closed'));
  });
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
      const stored = await checkNoTokens(page);
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
      check(ticketAnswers.length === 1 && ticketAnswers[0] === 200,
        `ticket answers: ${JSON.stringify(ticketAnswers)}; terminal sockets: ${socketEvents.join(', ')}`);
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

    // From here on the admin takes part; the member's workspace must be there (memberBlocked).
    const memberBlocked = blocked;
    blocked = null;
    focus(adminPage);
    await step(`signs in as ${admin} and is offered the admin pages`, async () => {
      await signIn(adminPage, admin, adminPassword);
      const main = adminPage.getByRole('navigation', { name: 'Main' });
      for (const name of ['Members', 'Security', 'Audit', 'Manage blueprints', 'Clusters', 'Publishing']) {
        await main.getByRole('link', { name, exact: true }).waitFor();
      }
    });

    const adminBlocked = blocked;
    blocked = memberBlocked ?? adminBlocked;
    focus(page);

    // Publishing: the member asks, an admin approves, the member sees it approved and published.
    let requestId = null;
    await step(`requests publishing :${previewPort} of ${workspaceName} with a note`, async () => {
      await row(page).getByRole('link', { name: workspaceName, exact: true }).click();
      await page.getByRole('heading', { name: workspaceName, exact: true }).waitFor();
      const form = page.getByRole('form', { name: `Publish ${workspaceName}` });
      const port = form.getByLabel('Port', { exact: true });
      if ((await port.evaluate((e) => e.tagName)) === 'SELECT') await port.selectOption(String(previewPort));
      else await port.fill(String(previewPort));
      await form.getByLabel('Note for the reviewer').fill('e2e: the sample app, for the demo');
      await form.getByRole('button', { name: 'Publish', exact: true }).click();
      const request = page.getByRole('list', { name: 'Publish requests' }).locator('li[data-publish-request]').first();
      await request.waitFor();
      requestId = await request.getAttribute('data-publish-request');
      const status = await request.locator('[data-publish-status]').getAttribute('data-publish-status');
      check(status === 'PENDING', `a member's request is ${status}, not PENDING (is ${user} trusted?)`);
    });

    focus(adminPage);
    await step('the admin approves it in the review queue with a comment', async () => {
      await nav(adminPage, 'Publishing');
      await adminPage.getByRole('heading', { name: 'Publishing', exact: true }).waitFor();
      const queued = adminPage.locator(`tr[data-publish-request="${requestId}"]`);
      for (let i = 0; i < 15 && (await queued.count()) === 0; i++) {
        await adminPage.waitForTimeout(1_000);
        await adminPage.getByRole('button', { name: 'Refresh', exact: true }).click();
      }
      await queued.waitFor({ timeout: 5_000 });
      check((await queued.textContent()).includes('e2e: the sample app, for the demo'), 'the queue does not show the note');
      check((await queued.textContent()).includes(user), `the queue does not name ${user}`);
      await queued.getByRole('button', { name: `Approve port ${previewPort} of ${workspaceName}` }).click();
      const dialog = adminPage.getByRole('dialog');
      await dialog.getByLabel('Comment (optional)').fill('e2e: looks good');
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await adminPage.getByText(`Approved: port ${previewPort} of ${workspaceName}.`).waitFor();
      await queued.waitFor({ state: 'detached' });
      // The history keeps it, with the decision (a projection: refresh until it caught up).
      await adminPage.getByLabel('Show', { exact: true }).selectOption('ALL');
      const decided = queued.locator('[data-publish-status="APPROVED"], [data-publish-status="PUBLISHED"]');
      await queued.waitFor();
      for (let i = 0; i < 15 && (await decided.count()) === 0; i++) {
        await adminPage.waitForTimeout(1_000);
        await adminPage.getByRole('button', { name: 'Refresh', exact: true }).click();
        await queued.waitFor();
      }
      await decided.waitFor({ timeout: 5_000 });
      await queued.getByText('e2e: looks good').waitFor();
    });

    focus(page);
    /** Leaves the workspace's page and comes back: its publish requests load afresh. */
    const requestSeen = async (statuses) => {
      const mine = page.locator(`li[data-publish-request="${requestId}"]`);
      const wanted = statuses.map((s) => `[data-publish-status="${s}"]`).join(', ');
      const deadline = Date.now() + statusTimeout;
      for (;;) {
        await page.getByRole('link', { name: 'Back to workspaces' }).click();
        await row(page).getByRole('link', { name: workspaceName, exact: true }).click();
        await mine.waitFor();
        if ((await mine.locator(wanted).count()) > 0) return mine;
        check(Date.now() < deadline, `the request is ${await mine.locator('[data-publish-status]').getAttribute('data-publish-status')}`);
        await page.waitForTimeout(2_000);
      }
    };
    await step(`${user} sees the request approved, with the reviewer's comment`, async () => {
      const mine = await requestSeen(['APPROVED', 'PUBLISHED']);
      await mine.getByText('e2e: looks good').waitFor();
      await mine.getByText(`reviewed by ${admin}`).waitFor();
    });

    let publishedHost = null;
    await step(`${user} sees it PUBLISHED and opens the published app`, async () => {
      const mine = await requestSeen(['PUBLISHED', 'FAILED']);
      check((await mine.locator('[data-publish-status]').getAttribute('data-publish-status')) === 'PUBLISHED',
        `publishing failed: ${await mine.textContent()}`);
      const opened = context.waitForEvent('page');
      await mine.getByRole('link', { name: 'Open the published app' }).click();
      const app = await opened;
      app.setDefaultTimeout(30_000);
      try {
        await waitForDirectoryListing(app, (host) => host.endsWith(`--pub.${previewDomain}`));
        publishedHost = new URL(app.url()).hostname;
        await checkNoTokens(app);
        await app.screenshot({ path: join(output, 'published-app.png'), fullPage: true });
      } finally {
        await app.close();
      }
    });

    // The firewall: the admin denies loopback (this browser's address), the member's preview is
    // refused, and the admin sees the attempt. The API itself is not firewalled (apply-to-api off).
    blocked = memberBlocked ?? adminBlocked;
    const loopback = ['127.0.0.1/32', '::1/128'];
    const firewallNav = adminPage.getByRole('navigation', { name: 'Security Center' });
    const openFirewall = async () => {
      await nav(adminPage, 'Security');
      await firewallNav.getByRole('link', { name: 'Firewall rules' }).click();
      await adminPage.getByRole('note', { name: 'How the rules are applied' }).waitFor();
    };
    let firewallChanged = false;
    focus(adminPage);
    await step('the admin adds deny rules for loopback, with a note, and reads them back', async () => {
      await openFirewall();
      for (const cidr of loopback) {
        check((await adminPage.locator(`[data-rule="${cidr}"]`).count()) === 0, `${cidr} is already a rule`);
        await adminPage.getByRole('button', { name: 'Add deny rule' }).click();
        await adminPage.getByLabel(/^Network of rule \d+$/).last().fill(cidr);
        await adminPage.getByLabel(/^Note of rule \d+$/).last().fill('e2e: block this machine');
      }
      await adminPage.getByLabel('Address', { exact: true }).fill('127.0.0.1');
      await adminPage.getByText(/^Refused\./).waitFor();
      await adminPage.getByRole('button', { name: 'Save rules' }).click();
      firewallChanged = true;
      await adminPage.getByText(/^Firewall saved/).waitFor();
      await firewallNav.getByRole('link', { name: 'Sessions' }).click();
      await firewallNav.getByRole('link', { name: 'Firewall rules' }).click();
      for (const cidr of loopback) await adminPage.locator(`[data-rule="${cidr}"]`).waitFor();
      check(await adminPage.locator(`[data-rule="${loopback[0]}"] input[aria-label^="Note"]`).inputValue()
        === 'e2e: block this machine', 'the note did not stay');
    });

    focus(page);
    await step(`${user}'s preview is refused by the firewall`, async () => {
      const control = page.getByRole('button', { name: `Open :${previewPort} of ${workspaceName} in a new tab` });
      // The new rules reach the gateway through an event: give them a few seconds.
      const deadline = Date.now() + 20_000;
      let title = '';
      for (;;) {
        const opened = context.waitForEvent('page');
        await control.click();
        const tab = await opened;
        try {
          await tab.waitForLoadState();
          await tab.waitForURL((url) => url.hostname === previewHost, { timeout: 30_000 });
          await tab.waitForLoadState();
          title = await tab.title();
          if (title.startsWith('403')) {
            await tab.getByRole('heading', { name: "Blocked by the portal's firewall" }).waitFor();
            check(!title.startsWith('Directory listing'), 'the app was shown');
            await tab.screenshot({ path: join(output, 'preview-blocked.png'), fullPage: true });
            return;
          }
        } finally {
          await tab.close();
        }
        check(Date.now() < deadline, `the preview was not blocked; its title is "${title}"`);
        await page.waitForTimeout(1_000);
      }
    });

    focus(adminPage);
    await step('the admin sees the blocked attempt with the address and target', async () => {
      await firewallNav.getByRole('link', { name: 'Blocked attempts' }).click();
      await adminPage.getByRole('heading', { name: 'Blocked attempts' }).waitFor();
      const target = `preview:${workspaceId}:${previewPort}`;
      const attempt = adminPage.getByRole('table', { name: 'Blocked attempts' }).locator('tbody tr')
        .filter({ has: adminPage.locator('code', { hasText: target }) }).first();
      for (let i = 0; i < 10 && (await attempt.count()) === 0; i++) {
        await adminPage.waitForTimeout(1_000);
        await adminPage.getByRole('button', { name: 'Refresh', exact: true }).click();
      }
      await attempt.waitFor({ timeout: 5_000 });
      const ip = (await attempt.locator('td').nth(1).textContent()).trim();
      check(['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(ip), `the attempt came from ${ip}`);
      const why = await attempt.locator('td').nth(4).textContent();
      check(loopback.some((cidr) => why.includes(cidr)), `the attempt names no loopback rule: ${why}`);
    });

    // Always, once the rules were saved: the later steps (and a re-run) need a firewall that admits loopback.
    if (firewallChanged) {
      const before = blocked;
      blocked = null;
      await step('the admin removes the loopback rules again', async () => {
        await openFirewall();
        for (const cidr of loopback) {
          const rule = adminPage.locator(`[data-rule="${cidr}"]`);
          if ((await rule.count()) > 0) await rule.getByRole('button', { name: /^Remove rule \d+/ }).click();
        }
        await adminPage.getByRole('button', { name: 'Save rules' }).click();
        await adminPage.getByText(/^Firewall saved/).waitFor();
        await firewallNav.getByRole('link', { name: 'Sessions' }).click();
        await firewallNav.getByRole('link', { name: 'Firewall rules' }).click();
        await adminPage.getByRole('note', { name: 'How the rules are applied' }).waitFor();
        for (const cidr of loopback) {
          check((await adminPage.locator(`[data-rule="${cidr}"]`).count()) === 0, `${cidr} is still a rule`);
        }
      });
      blocked = blocked ?? before;
    }

    // The member's workspace is cleaned up whatever happened to publishing and the firewall.
    blocked = memberBlocked;
    focus(page);
    if (publishedHost) {
      await step(`${user} unpublishes the app, and its address answers "not found"`, async () => {
        const back = page.getByRole('link', { name: 'Back to workspaces' });
        if ((await back.count()) > 0) await back.click();
        await row(page).getByRole('link', { name: workspaceName, exact: true }).click();
        const mine = page.locator(`li[data-publish-request="${requestId}"]`);
        await mine.getByRole('button', { name: 'Unpublish' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Unpublish', exact: true }).click();
        await mine.locator('[data-publish-status="UNPUBLISHING"], [data-publish-status="UNPUBLISHED"]').waitFor();
        await requestSeen(['UNPUBLISHED']);
        // The gateway trusts its lookup of an app's host for 2 s; then the host is unknown.
        const probe = await context.newPage();
        try {
          const deadline = Date.now() + statusTimeout;
          for (;;) {
            const answer = await probe.goto(`http://${publishedHost}:${new URL(base).port || 80}/`);
            if (answer?.status() === 404) break;
            check(Date.now() < deadline, `the unpublished app's address answers ${answer?.status()}`);
            await probe.waitForTimeout(1_000);
          }
        } finally {
          await probe.close();
        }
      });
    }
    await step('stops it and sees STOPPED', async () => {
      const back = page.getByRole('link', { name: 'Back to workspaces' });
      if ((await back.count()) > 0) await back.click();
      await page.getByRole('heading', { name: 'My workspaces' }).waitFor();
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

    blocked = null;
    await step(`${user}'s session ends with no token in web storage or the address bar`, async () => {
      await checkNoTokens(page);
    });


    // The rest of the admin console. Independent of the member's steps except for the session check,
    // which needs the workspace.
    blocked = adminBlocked;
    focus(adminPage);
    await adminConsole(adminPage, workspaceId);

    // Not dependent on the steps before: always checked.
    blocked = null;
    await step('no Content-Security-Policy violation or uncaught error on the way', async () => {
      check(problems.length === 0, problems.join('\n'));
    });
  } finally {
    await page.screenshot({ path: join(output, 'last.png'), fullPage: true }).catch(() => {});
    await adminBrowser.close().catch(() => {});
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Admin steps against the current portal: members, blueprint ACL, Security Center, firewall, audit. */
async function adminConsole(page, workspaceId) {
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
    if (wasOpen) {
      // The list is a projection that may lag the save by a moment: reload it until it caught up.
      const openAgain = page.locator(`a[href="/admin/blueprints/${blueprintId}"]`).locator('xpath=ancestor::li[1]')
        .locator('[data-acl-mode="open"]');
      for (let i = 0; i < 15 && (await openAgain.count()) === 0; i++) {
        await page.waitForTimeout(1_000);
        await nav(page, 'Clusters');
        await nav(page, 'Manage blueprints');
        await page.getByRole('heading', { name: 'Manage blueprints' }).waitFor();
        await page.locator(`a[href="/admin/blueprints/${blueprintId}"]`).waitFor();
      }
      await openAgain.waitFor({ timeout: 5_000 });
    }
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

  blocked = null;
  await step(`${admin}'s session ends with no token in web storage or the address bar`, async () => {
    await checkNoTokens(page);
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
