package dev.rdeportal.domain.firewall;

public enum FirewallAction {
    ALLOW,
    DENY
}
