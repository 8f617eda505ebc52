/**
 * The admin's infrastructure graph: clusters, their agents, blueprints and workspaces, read from
 * the other read models and pushed live over SSE.
 */
package dev.rdeportal.query.topology;
