/**
 * What the gateway's browser-facing endpoints (terminals, previews) share with each other about the
 * web server under them: how a WebSocket upgrade is started, and how one is closed.
 */
package dev.rdeportal.gateway.web;
