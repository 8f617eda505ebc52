/**
 * The tunnel gateway: the gRPC server that customer-cluster agents dial out to.
 *
 * <pre>
 *                           portal (control plane)
 *  +----------------------------------------------------------------------+
 *  | lifecycle saga --DispatchWorkspaceOperationCommand--> OperationDispatcher
 *  |                                                            |          |
 *  |                                 AgentRegistry <------------+          |
 *  |                                      |                                |
 *  |  commands (connected, disconnected,  v                                |
 *  |  complete, fail, reconcile) <--- ControlSession <--- Reconciler       |
 *  |                                      ^                                |
 *  |  TunnelServer (TLS) --> AgentAuthenticator --> TunnelService          |
 *  +--------------^-------------------------------------------------------+
 *                 |  Join (token for credential), Control, Channel
 *           agent (dials out; the cluster opens no inbound port)
 * </pre>
 *
 * <p>The application wires it with {@link dev.rdeportal.gateway.GatewayConfiguration}. The rest of
 * the control plane is reached only through Axon's gateways: commands for what agents did, queries
 * for credentials and for the workspaces to reconcile, events for refused joins.
 */
package dev.rdeportal.gateway;
