/**
 * What one-time tickets and cookie sessions have in common: 256-bit secrets handed out once and
 * stored only as their SHA-256, and the SQL flavour for redeeming a row atomically.
 */
package dev.rdeportal.gateway.ticket;
