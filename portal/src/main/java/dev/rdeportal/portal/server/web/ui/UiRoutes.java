package dev.rdeportal.portal.server.web.ui;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;

/**
 * Answers {@code index.html} for the UI's client-side routes, so a reload or a shared link such as
 * {@code /admin/clusters} opens that screen.
 *
 * <p>The route lives in its own handler mapping, ordered after the controllers and router
 * functions but before the static resources: an API endpoint, present or future, always wins over
 * the UI, and the UI never shadows one. It is deliberately not a {@code RouterFunction} bean, which
 * Boot would put ahead of the controllers.
 */
@Configuration(proxyBeanMethods = false)
class UiRoutes {

    /** Just before Boot's resource handler mapping ({@code LOWEST_PRECEDENCE - 1}). */
    static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

    private static final Resource INDEX = new ClassPathResource("static/index.html");

    @Bean
    RouterFunctionMapping uiRouteMapping(ServerCodecConfigurer codecs) {
        RouterFunction<ServerResponse> pages = RouterFunctions.route(
                RequestPredicates.method(HttpMethod.GET).or(RequestPredicates.method(HttpMethod.HEAD))
                        .and(request -> UiPaths.isClientRoute(request.path()))
                        .and(RequestPredicates.accept(MediaType.TEXT_HTML)),
                request -> INDEX.exists()
                        // Always revalidated, so a new release's asset names are picked up at once.
                        ? ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                                .cacheControl(CacheControl.noCache()).bodyValue(INDEX)
                        : ServerResponse.notFound().build());
        RouterFunctionMapping mapping = new RouterFunctionMapping(pages);
        mapping.setOrder(ORDER);
        mapping.setMessageReaders(codecs.getReaders());
        return mapping;
    }
}
