/**
 * Messages only: commands, events, queries and the value objects they carry, as Java records.
 * No Spring, no persistence. Events are part of the audit history and must stay readable forever:
 * they never validate on construction (rules may change; history may not), and a change to an
 * event's shape bumps its {@code @Revision} with an upcaster. Commands validate in their compact
 * constructors, so a bad request never reaches an aggregate.
 */
package dev.rdeportal.domain;
