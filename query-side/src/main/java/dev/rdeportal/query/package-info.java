/**
 * The query side of the control plane: projections that turn domain events into read models, the
 * query handlers and REST endpoints that answer from them, and live updates over SSE.
 *
 * <pre>
 *  event store ──► XxxProjection (JDBC, same transaction as the tracking token)
 *                     │ writes                    │ QueryUpdateEmitter (after commit)
 *                     ▼                           ▼
 *                 read-model tables ◄── R2DBC ── XxxReadRepository ◄── @QueryHandler, REST, SSE
 * </pre>
 *
 * Writes go through the portal's JDBC {@code DataSource} so that Axon's Spring transaction covers
 * the row and the token together (exactly-once effect); reads go through R2DBC so that the
 * WebFlux endpoints never block an event-loop thread. Tables are in
 * {@code db/migration/V100__read_models.sql}.
 */
package dev.rdeportal.query;
