package io.isoswitch.core.issuer;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.core.txn.IccData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one issuer connection: answers (odd function digit: 0210, 0810, 1814...) are copied out of
 * the frame and handed to the link for matching; the issuer's own network management requests
 * (echo) are answered here. The frame is released by the superclass after
 * {@link #channelRead0}; nothing read from it outlives that call but the copied answer.
 */
final class IssuerConnectionHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerConnectionHandler.class);

    private final IssuerConnection connection;
    private final IssuerLink link;
    private final IsoMessageView view;
    private final IsoMessageWriter writer;

    IssuerConnectionHandler(IssuerConnection connection, IssuerLink link) {
        super(Frame.class);
        this.connection = connection;
        this.link = link;
        this.view = new IsoMessageView(link.spec());
        this.writer = new IsoMessageWriter(link.spec());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection.connected(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.disconnected(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            connection.idle();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        ByteBuf body = frame.body();
        try {
            // structure and content both: a field damaged in transit must not reach the journal or a terminal
            view.wrap(body).validate();
        } catch (IsoCodecException e) {
            // unreadable: its request (if any) times out and is reversed
            link.undecodable();
            LOG.warn("issuer {}: an undecodable message from the issuer: {}", link.issuerId(), e.getMessage());
            return;
        }
        String mti = view.mtiString();
        char function = mti.charAt(2);
        if (function == '1' || function == '3') {
            int stan = view.has(11) ? view.stan() : -1;
            String institution = view.has(32) ? view.getString(32) : "";
            String responseCode = view.has(39) ? view.getString(39) : null;
            byte[] answer = ByteBufUtil.getBytes(body);
            if (!link.network().isNetwork(mti) && !link.authentic(connection, view, answer)) {
                LOG.warn("issuer {}: dropped a {} (stan {}) whose MAC does not verify", link.issuerId(), mti, stan);
                return;
            }
            link.answer(new IssuerResponse(link.issuerId(), link.spec(), mti, stan, responseCode, answer, iccData(mti, stan)),
                    institution);
        } else if (mti.equals(link.network().requestMti())) {
            answerNetworkRequest(ctx);
        } else {
            LOG.warn("issuer {}: ignored an unexpected {} request from the issuer", link.issuerId(), mti);
        }
    }

    /**
     * The answer's field 55 (ARPC 91, issuer scripts 71/72) when it is well-formed BER-TLV; else
     * null. A malformed one is dropped and counted, and the answer kept: the issuer's decision is
     * in field 39, and a terminal that gets no ARPC handles that as EMV says (it may decline
     * offline, which the terminal then reverses). Logged by where it broke, never by its bytes.
     */
    private byte[] iccData(String mti, int stan) {
        try {
            return IccData.read(view);
        } catch (TlvException e) {
            link.malformedIccData();
            LOG.warn("issuer {}: dropped a malformed field 55 from a {} (stan {}): {}", link.issuerId(), mti, stan, e.getMessage());
            return null;
        }
    }

    /** The issuer's echo (or sign-on, sign-off): answered on the same connection, its fields echoed. */
    private void answerNetworkRequest(ChannelHandlerContext ctx) {
        NetworkManagement network = link.network();
        int codeField = network.codeField();
        String code = view.has(codeField) ? view.getString(codeField) : "";
        String responseCode;
        if ((code.equals(network.signOn()) || code.equals(network.keyChange())) && view.has(48) && link.zoneKeys().enabled()) {
            // new zone keys from the issuer: acknowledged only once this connection uses them, since
            // an issuer that hears 00 checks the next PIN and MAC under them
            responseCode = connection.takeIssuerKeys(view.getString(48)) ? network.acceptedCode() : network.keysRefusedCode();
        } else if (code.equals(network.echo()) || code.equals(network.signOn()) || code.equals(network.signOff())) {
            responseCode = network.acceptedCode();
        } else {
            responseCode = network.errorCode();
        }
        LOG.info("issuer {}: answered the issuer's {} with {}", link.issuerId(), network.describe(code), responseCode);
        ByteBuf out = ctx.alloc().buffer(64);
        try {
            writer.begin(out, network.responseMti()).copyPresent(view, 7, 11, 24, 32, 33).field(39, responseCode);
            if (codeField > 39) {
                writer.copyPresent(view, codeField);
            }
            writer.finish();
        } catch (RuntimeException e) {
            out.release();
            LOG.warn("issuer {}: could not answer the issuer's {}: {}", link.issuerId(), network.describe(code), e.getMessage());
            return;
        }
        ctx.writeAndFlush(out);
        if (code.equals(network.signOff())) {
            connection.signedOffByIssuer();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("issuer {}: connection error, closing: {}", link.issuerId(), cause.toString());
        ctx.close();
    }
}
