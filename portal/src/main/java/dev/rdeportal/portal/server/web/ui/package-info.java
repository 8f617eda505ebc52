/**
 * Serving the web UI (module {@code rde-ui}, on the classpath under {@code static/}).
 *
 * <pre>
 *  GET /assets/app-1a2b.js  ──► Boot's static resources (content-hashed: cached for a year)
 *  GET /api/**              ──► controllers (never the UI)
 *  GET /workspaces, /admin/clusters, ... (text/html, no file extension)
 *                           ──► index.html; the UI routes in the browser
 * </pre>
 *
 * Every UI response carries a strict Content-Security-Policy ({@code SecurityHeadersFilter}, one
 * level up, which sets the headers of every portal response).
 */
package dev.rdeportal.portal.server.web.ui;
