/** Helpers shared by the read models: JSON text columns, timestamps, the caller, list responses. */
package dev.rdeportal.query.support;
