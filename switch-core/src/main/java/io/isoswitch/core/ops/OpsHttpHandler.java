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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes ops HTTP requests by path to their {@link OpsEndpoint}; shared by every ops connection. */
@ChannelHandler.Sharable
final class OpsHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpHandler.class);
    /** An issuer command's path: the issuer's id, then the command. */
    private static final Pattern ISSUER_COMMAND = Pattern.compile("/ops/issuers/([^/]+)/([^/]+)");
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
            answer = endpoint == null ? notFound(uri.path()) : call(endpoint, request, uri);
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

    /**
     * 404; for an issuer command of an issuer this node does not have (a typo in its id), names the
     * issuers it has instead of calling the path wrong. Their ids are no secret: the dashboard shows them.
     */
    private OpsResponse notFound(String path) {
        Matcher asked = ISSUER_COMMAND.matcher(path);
        if (asked.matches()) {
            List<String> issuers = endpoints.keySet().stream().map(ISSUER_COMMAND::matcher)
                    .filter(m -> m.matches() && m.group(2).equals(asked.group(2))).map(m -> m.group(1)).sorted().toList();
            if (!issuers.isEmpty()) {
                return OpsResponse.text(404, "no issuer '" + asked.group(1) + "' on this node; its issuers: "
                        + String.join(", ", issuers) + "\n");
            }
        }
        return OpsResponse.text(404, "no such path: " + path + "\n");
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
