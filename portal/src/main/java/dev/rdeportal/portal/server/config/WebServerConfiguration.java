package dev.rdeportal.portal.server.config;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The portal's HTTP server (Reactor Netty, as Boot configures it), with what it needs beyond Boot's defaults. */
@Configuration(proxyBeanMethods = false)
class WebServerConfiguration {

    /** Keep-alive connections must never stop reading; see {@link KeepAliveReadGuard}. */
    @Bean
    NettyServerCustomizer keepAliveReadGuard() {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> KeepAliveReadGuard.install(channel));
    }
}
