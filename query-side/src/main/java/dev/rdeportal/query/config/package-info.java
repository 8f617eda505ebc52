/** Spring wiring of the query side. */
package dev.rdeportal.query.config;
