/**
 * Previews on the agent: each preview channel is one HTTP request or one WebSocket that the agent
 * makes to a workspace port (where {@code WorkspaceRuntime.portAddress} says the app listens) and
 * streams back, with the channel's credit bounding what is in flight each way. With a 1.5
 * gateway a few spare channel streams stay open ahead of requests ({@code PreviewProxy.connected});
 * each serves one request and is replaced as soon as it is taken.
 */
package dev.rdeportal.agent.preview;
