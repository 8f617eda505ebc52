/**
 * Live previews: an app listening on a workspace port, opened in the browser on an origin of its
 * own, relayed request by request through the agent's tunnel.
 * <pre>
 *   browser ──HTTP/WS──▶ portal (PreviewFilter, by Host) ──Channel stream──▶ agent ──▶ app port
 *     p3000--&lt;workspace&gt;.preview.localhost:8080
 * </pre>
 * Each (workspace, port) has its own origin under the preview domain, never the portal's, so a
 * previewed app reads neither the portal's tokens nor its cookies. The owner gets there with a
 * one-time ticket ({@link PreviewTickets}) that the preview origin exchanges for a host-only
 * cookie session ({@link PreviewSessions}); every request is then relayed on a channel of its own
 * ({@link PreviewRelay}), streamed and never stored.
 */
package dev.rdeportal.gateway.preview;
