/**
 * The channel broker: pairs a client's connection with the agent's channel stream for it.
 *
 * <pre>
 *  browser ──WSS──► TerminalWebSocketHandler ──openTerminal──► ChannelBroker
 *                          ▲                                       │ OpenChannel(id, user, session?)
 *                          │                                       ▼   on the agent's control stream
 *                          │  frames() / forward()             AgentLink (ControlSession) ──► agent
 *                          │                                                                   │
 *                     AgentChannel ◄──── Channel stream: ChannelOpen(id), Ready, data, Ack ────┘
 *                     (matched by id + agent credential; own HTTP/2 stream per channel)
 * </pre>
 *
 * <p>Previews (1.5): an agent that negotiated 1.5 keeps a few spare channel streams open
 * ({@code ChannelOpen{spare}}), which wait in the broker's pool for their agent (bounded per
 * agent). A preview request takes one out and sends its {@code OpenChannel} as the stream's first
 * frame; the agent accepts it with {@code ChannelOpen(id)} or refuses with {@code ChannelClose}.
 * So a request skips the control stream and the stream set-up; it still has a stream of its own,
 * used for nothing else. Without a spare the broker asks on the control stream, as above.
 *
 * <p>Why credits on top of gRPC flow control: all channel streams of an agent share one HTTP/2
 * connection, and bytes a stream has received but the application has not read count against the
 * connection's window too. A stream stalled behind a slow browser would hold that window and
 * stall every other terminal of the agent. So each receiver reads its stream at once into a
 * buffer the sender's credit bounds, and acknowledges what it handed on (see {@code Ack} in
 * tunnel.proto): a slow browser back-pressures its own PTY, and only that.
 */
package dev.rdeportal.gateway.channel;
