/**
 * Operations on the query side's event processors: list them, rebuild a projection by replaying
 * the history into it ({@code /api/v1/admin/projections}).
 */
package dev.rdeportal.query.admin;
