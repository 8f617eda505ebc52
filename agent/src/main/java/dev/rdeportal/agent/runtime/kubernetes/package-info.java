/**
 * The {@code kubernetes} workspace runtime (fabric8): a namespace per workspace, a StatefulSet of
 * one pod, terminals by exec with a TTY, previews by pod IP or port-forward. Chosen with
 * {@code --runtime kubernetes}; the agent's ClusterRole in {@code infra/agent} lists exactly the
 * verbs this package uses.
 */
package dev.rdeportal.agent.runtime.kubernetes;
