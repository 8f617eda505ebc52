package dev.rdeportal.portal.support;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a user in the way the CLI does: authorization code + PKCE against the embedded identity
 * provider's login form, with a loopback redirect URI on an arbitrary port, as a browser would.
 */
public final class OidcLogin {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private OidcLogin() {
    }

    public static String accessToken(String issuer, String clientId, String redirectUri, String email, String password) {
        try {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String state = "s" + System.nanoTime();
            String authorize = issuer + "/oauth2/authorize?" + form(Map.of(
                    "response_type", "code",
                    "client_id", clientId,
                    "redirect_uri", redirectUri,
                    "scope", "openid email",
                    "state", state,
                    "code_challenge", challenge,
                    "code_challenge_method", "S256"));
            HttpResponse<String> r = http.send(get(authorize), HttpResponse.BodyHandlers.ofString());
            expectRedirect(r, "authorize");
            HttpResponse<String> loginPage = http.send(get(issuer + "/login"), HttpResponse.BodyHandlers.ofString());
            Matcher csrf = CSRF.matcher(loginPage.body());
            if (!csrf.find()) {
                throw new IllegalStateException("login page has no CSRF field: " + loginPage.statusCode());
            }
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(issuer + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                            "username", email, "password", password, "_csrf", csrf.group(1)))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String next = expectRedirect(login, "login");
            if (next.contains("error")) {
                throw new IllegalStateException("login refused for " + email);
            }
            String location = next;
            for (int hops = 0; hops < 5 && !location.startsWith(redirectUri); hops++) {
                URI target = URI.create(issuer).resolve(location);
                location = expectRedirect(http.send(get(target.toString()), HttpResponse.BodyHandlers.ofString()),
                        "authorize after login");
            }
            Map<String, String> callback = query(URI.create(location).getRawQuery());
            if (!state.equals(callback.get("state")) || callback.get("code") == null) {
                throw new IllegalStateException("unexpected callback: " + callback.keySet());
            }
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                            "grant_type", "authorization_code",
                            "code", callback.get("code"),
                            "redirect_uri", redirectUri,
                            "client_id", clientId,
                            "code_verifier", verifier))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ACCESS_TOKEN.matcher(token.body());
            if (token.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("token endpoint answered " + token.statusCode());
            }
            return m.group(1);
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).GET().build();
    }

    private static String expectRedirect(HttpResponse<String> r, String step) {
        if (r.statusCode() / 100 != 3) {
            throw new IllegalStateException(step + ": expected a redirect, got " + r.statusCode());
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    private static String form(Map<String, String> values) {
        return new LinkedHashMap<>(values).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
