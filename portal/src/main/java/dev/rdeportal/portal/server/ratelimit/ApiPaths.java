package dev.rdeportal.portal.server.ratelimit;

import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/** Which requests the rate limits count. */
final class ApiPaths {

    private ApiPaths() {
    }

    /** Every {@code /api/v1} call, whatever its method or outcome. */
    static boolean isApi(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return path.equals("/api/v1") || path.startsWith("/api/v1/");
    }

    /** {@code POST /api/v1/workspaces}: a launch. */
    static boolean isLaunch(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return HttpMethod.POST.equals(exchange.getRequest().getMethod())
                && (path.equals("/api/v1/workspaces") || path.equals("/api/v1/workspaces/"));
    }
}
