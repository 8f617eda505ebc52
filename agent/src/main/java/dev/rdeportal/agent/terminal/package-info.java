/**
 * Terminal sessions on the agent: a PTY (or, in Kubernetes, an exec with a TTY) per session, kept
 * across dropped clients, portal restarts and tunnel reconnects.
 *
 * <pre>
 *   gateway ──OpenChannel(user, session?)──► TerminalSessions ──openTerminal──► WorkspaceRuntime
 *      ▲            (control stream)              │ new or found session
 *      │                                          ▼
 *      └──── Channel stream (own HTTP/2 stream) ── ChannelStream ◄──► TerminalSession ◄──► PTY
 *             Open, Ready, data, Ack, Resize, Close     (one client)    ring buffer, reader
 * </pre>
 */
package dev.rdeportal.agent.terminal;
