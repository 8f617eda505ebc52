package dev.rdeportal.portal.server.config;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

/**
 * Works around a Reactor Netty bug (reactor/reactor-netty#4361, fixed upstream after the 1.3.6 that
 * Boot 4.0.7 brings): on a keep-alive connection the HTTP/1.1 server reads on demand, and when a
 * request arrives before the previous response's operations have terminated (typical when the
 * answer is produced on another thread, such as a database driver's), it is queued; if that
 * queued request is then answered synchronously, the queue drains without anyone asking the
 * channel for the next read. The connection then sits idle forever: the client's next request is
 * never read, and a browser's page (or the UI's sign-in) hangs.
 *
 * <p>This handler sits right after Reactor Netty's traffic handler and, each time a request's
 * operations terminate, asks for one more read once the event loop has run the queued drain. An
 * extra read request is harmless: reads are coalesced, and a request that arrives while a response
 * is still in flight takes Reactor Netty's ordinary pipelining path.
 */
final class KeepAliveReadGuard extends ChannelDuplexHandler {

    static final String NAME = "rde.keepAliveReadGuard";

    /** Reactor Netty's event is package-private; it is matched by name, and never relied on for more than a hint. */
    private static final String TERMINATED_EVENT = "reactor.netty.http.server.HttpServerOperationsTerminatedEvent";

    /** Installs the guard on a new connection's pipeline, after the HTTP/1.1 traffic handler when there is one. */
    static void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NAME) != null) {
            return;
        }
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
            pipeline.addAfter(NettyPipeline.HttpTrafficHandler, NAME, new KeepAliveReadGuard());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (TERMINATED_EVENT.equals(event.getClass().getName())) {
            Channel channel = ctx.channel();
            // Queued behind the traffic handler's own drain task, so the read is asked for after it.
            ctx.executor().execute(() -> {
                if (channel.isActive()) {
                    channel.read();
                }
            });
        }
        super.userEventTriggered(ctx, event);
    }
}
