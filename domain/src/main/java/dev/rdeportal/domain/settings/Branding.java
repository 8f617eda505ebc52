package dev.rdeportal.domain.settings;

/**
 * How the portal presents itself (the sign-in page and the UI's header).
 *
 * @param productName the name shown in the header and the browser title
 * @param accentColor {@code #rrggbb}
 * @param logoUrl     an {@code https} URL or a path on the portal ({@code /logo.svg}); null for none
 */
public record Branding(String productName, String accentColor, String logoUrl) {

    public static final Branding DEFAULT = new Branding("RDE Portal", "#1f5fbf", null);
}
