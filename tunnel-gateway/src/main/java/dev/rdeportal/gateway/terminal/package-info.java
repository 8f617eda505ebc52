/**
 * Terminals through the tunnel: one-time tickets, the WebSocket relay, and the caller's terminal
 * sessions. Nothing a terminal shows or receives is stored; only who connected, from where and
 * when (and refused tickets) become events.
 *
 * <pre>
 *  POST .../terminal-tickets ──► TerminalController ──► TerminalTickets (hash only, 30 s, one use)
 *  GET  .../terminal (WSS)   ──► TerminalEndpoint (Origin) ──► TerminalWebSocketHandler
 *        {"type":"auth","ticket":…}     redeem (one DELETE … RETURNING) ─┘   │
 *                                                                             ▼
 *                                  ChannelBroker ──OpenChannel──► agent ──Channel stream──► AgentChannel
 * </pre>
 */
package dev.rdeportal.gateway.terminal;
