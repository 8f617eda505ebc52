/**
 * Membership, roles and running-workspace slots: all held by the one organisation aggregate
 * ({@link dev.rdeportal.domain.member.Member#ORGANIZATION_ID}), so the last-admin rule and the
 * per-member workspace limit are decided atomically.
 */
package dev.rdeportal.domain.member;
