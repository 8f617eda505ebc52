/**
 * The agent's outbound tunnel to the portal's gateway.
 *
 * <pre>
 *   TunnelClient (supervisor, connect loop)          gateway
 *     | channel = ChannelFactory.open()  -- TLS --&gt;  |  (in-process in tests)
 *     | Join(token)            [no credential yet] -&gt;  |  credential.json + ca.pem stored
 *     | ControlSession: Hello(inventory) ===========&gt;  |
 *     |   &lt;= Welcome, Operation, Heartbeat, OpenChannel
 *     |   =&gt; OperationResult (OperationDispatcher + OperationJournal),
 *     |      Heartbeat, WorkspaceReport (runtime changes), ChannelRefused (ChannelHandler)
 *     | stream ends -&gt; fatal? exit : ReconnectBackoff, redial
 * </pre>
 *
 * Trust: {@code --ca-cert}, else {@code ca.pem} stored at join, else the join token's CA
 * fingerprint ({@link dev.rdeportal.agent.tunnel.PinnedCaTrustManager}).
 */
package dev.rdeportal.agent.tunnel;
