/**
 * The {@code kubernetes} workspace runtime (fabric8): a namespace per workspace, a StatefulSet of
 * one pod, terminals by exec with a TTY, previews by pod IP or port-forward. Chosen with
 * {@code --runtime kubernetes}; the agent's ClusterRole in {@code infra/agent} and its Role in the
 * publish namespace ({@code infra/published}) list exactly the verbs this package uses. Published
 * apps: {@link dev.rdeportal.agent.runtime.kubernetes.PublishedObjects}.
 */
package dev.rdeportal.agent.runtime.kubernetes;
