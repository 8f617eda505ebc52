package dev.rdeportal.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdeportal.domain.publish.PublishNames;
import org.junit.jupiter.api.Test;

/** Published apps' hosts: stable names, never mistaken for a workspace preview and the other way round. */
class PublishedOriginTest {

    static final String DOMAIN = "preview.localhost";

    @Test
    void aNameIsTheWorkspacesNameAndTheRequestsTailAsOneDnsLabel() {
        assertThat(PublishNames.of("shop", "pr-k3j9x0a8b2cd")).isEqualTo("shop-k3j9x0a8b2cd");
        assertThat(PublishNames.of("p8000", "pr-k3j9x0a8b2cd")).isEqualTo("p8000-k3j9x0a8b2cd");
        assertThat(PublishNames.of("a-very-long-workspace-name-of-forty-chars", "pr-k3j9x0a8b2cd"))
                .hasSizeLessThanOrEqualTo(40).endsWith("-k3j9x0a8b2cd").doesNotContain("--");
        assertThat(PublishNames.of("9lives", "pr-k3j9x0a8b2cd")).startsWith("app-").matches("[a-z][-a-z0-9]*[a-z0-9]");
    }

    @Test
    void aPublishedHostParsesToItsNameAndNeverAsAPreview() {
        String name = PublishNames.of("p8000", "pr-k3j9x0a8b2cd");
        String host = name + PublishNames.HOST_SUFFIX + "." + DOMAIN;

        assertThat(PublishedOrigin.parse(host, DOMAIN)).contains(name);
        assertThat(PreviewOrigin.parse(host, DOMAIN)).isEmpty();
        assertThat(PublishedOrigin.parse("p8000--ws-abc." + DOMAIN, DOMAIN)).isEmpty();
        assertThat(PublishedOrigin.parse("x." + name + "--pub." + DOMAIN, DOMAIN)).isEmpty();
        assertThat(PublishedOrigin.parse(name + "--pub.example.com", DOMAIN)).isEmpty();
        // A request id is never a preview's workspace: its ticket cannot open a preview origin.
        assertThat(PreviewOrigin.parse("p8000--pr-k3j9x0a8b2cd." + DOMAIN, DOMAIN)).isEmpty();
    }

    @Test
    void theUrlFollowsThePreviewSchemeAndPublicPort() {
        assertThat(PublishedOrigin.url(new PreviewProperties(null, null, 0, null, null, null, null), 8080, "shop-abc"))
                .isEqualTo("http://shop-abc--pub.preview.localhost:8080");
        assertThat(PublishedOrigin.url(new PreviewProperties("apps.example.com", "https", 443, null, null, null, null),
                8080, "shop-abc")).isEqualTo("https://shop-abc--pub.apps.example.com");
    }
}
