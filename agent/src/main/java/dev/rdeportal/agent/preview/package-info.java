/**
 * Previews on the agent: each preview channel is one HTTP request or one WebSocket that the agent
 * makes to a workspace port (where {@code WorkspaceRuntime.portAddress} says the app listens) and
 * streams back, with the channel's credit bounding what is in flight each way.
 */
package dev.rdeportal.agent.preview;
