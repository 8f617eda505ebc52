/**
 * The audit trail read straight from the event store: the log and its export, the hash chain that
 * makes alterations evident, and the signed chain head for anchoring outside the portal.
 *
 * <pre>
 *  domain_event_entry ──(tracking processor "audit-chain", never replayed)──► audit_chain
 *        │   link(p) = SHA-256( link(p-1) || canonical(event) ),  link(0) = 32 zero bytes
 *        │
 *        ├── AuditLog:      GET /api/v1/audit, /api/v1/audit/export   (reads events only)
 *        └── ChainVerifier: GET /api/v1/audit/verify   recomputes every link from the events and
 *                           compares it with the recorded one; AuditSigner: GET /api/v1/audit/head
 * </pre>
 *
 * <h2>Canonical bytes of an event (format 1)</h2>
 * The ASCII bytes {@code rde-audit/1}, then, in this order: global_index and sequence_number as
 * 8-byte big-endian integers, event_identifier, aggregate_identifier, payload_type,
 * payload_revision and time_stamp as UTF-8 strings, then payload and meta_data as raw bytes. Every
 * string and byte field is preceded by its length as a 4-byte big-endian integer, -1 for NULL, so
 * no two different rows encode alike ({@link dev.rdeportal.query.audit.HashChain}).
 *
 * <h2>Why the chain is kept by a processor, and what verification can tell</h2>
 * Links are recorded by a single-segment tracking processor as events arrive, in {@code position}
 * order (1, 2, 3, ...). That is global order, except that an event whose transaction committed late
 * (Axon leaves such gaps in global_index and fills them when the event appears) is linked when it
 * arrives; recording the position keeps the chain recomputable anyway. Verification recomputes
 * each link from the row it names and the previous recorded link:
 * <ul>
 *   <li>altered: the recomputed link differs from the recorded one;</li>
 *   <li>deleted: a recorded link names an event that is gone (or a run of positions is missing);</li>
 *   <li>inserted: an event at or below the chain head has no link. The processor only moves forward,
 *       so a row slipped in below its position is never linked. A gap in global_index that never
 *       had a link is not a deletion: Axon leaves gaps for rolled-back transactions.</li>
 * </ul>
 * Someone able to rewrite both tables consistently defeats the recorded chain; the signed head,
 * exported and kept elsewhere, catches that: its link must reappear at its sequence.
 *
 * <p>A chain far behind at start (a portal upgraded onto an existing history, a lost token row) is
 * linked in bulk before the processor starts ({@link dev.rdeportal.query.audit.AuditChainCatchUp}):
 * the same links, read straight from the table in chunks, each committed with the processor's token;
 * the processor goes on from there. Threshold: {@code rde.audit.chain-catch-up-threshold}.
 *
 * <p>The processor refuses resets ({@code @DisallowReplay}): rebuilding the chain from the
 * current table would launder every alteration into a fresh, consistent chain.
 */
package dev.rdeportal.query.audit;
