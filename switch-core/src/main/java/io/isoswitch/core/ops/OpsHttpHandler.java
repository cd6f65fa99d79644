package io.isoswitch.core.ops;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes ops HTTP requests by path to their {@link OpsEndpoint}; shared by every ops connection. */
@ChannelHandler.Sharable
final class OpsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpHandler.class);
    private final Map<String, OpsEndpoint> endpoints;

    OpsHttpHandler(Map<String, OpsEndpoint> endpoints) {
        this.endpoints = Map.copyOf(endpoints);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        OpsResponse answer;
        if (!request.decoderResult().isSuccess()) {
            answer = OpsResponse.text(400, "bad request\n");
        } else {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            OpsEndpoint endpoint = endpoints.get(uri.path());
            answer = endpoint == null ? OpsResponse.text(404, "no such path: " + uri.path() + "\n") : call(endpoint, request, uri);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(response, answer.body().length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static OpsResponse call(OpsEndpoint endpoint, FullHttpRequest request, QueryStringDecoder uri) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : uri.parameters().entrySet()) {
            query.put(parameter.getKey(), parameter.getValue().getFirst());
        }
        OpsRequest opsRequest = new OpsRequest(request.method().name(), uri.path(), query,
                request.headers().get(HttpHeaderNames.AUTHORIZATION));
        try {
            return endpoint.handle(opsRequest);
        } catch (RuntimeException e) {
            LOG.warn("ops endpoint {} failed: {}", uri.path(), e.toString());
            return OpsResponse.text(500, "internal error\n");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("ops connection closed after error: {}", cause.toString());
        ctx.close();
    }
}
