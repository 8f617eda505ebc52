/**
 * Connections to workspaces (terminals now, previews later): who opened what, from where, and
 * which attempts were refused. These are audit events without an aggregate; the gateway publishes
 * them with the metadata {@code actor} and {@code clientIp}. None of them ever carries a ticket,
 * hashed or not, nor a byte of what flowed through the connection.
 */
package dev.rdeportal.domain.connection;
