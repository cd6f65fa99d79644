package io.isoswitch.sim.issuer.host;

import io.isoswitch.codec.IsoCodecException;
import io.isoswitch.codec.IsoMessage;
import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.framing.Frame;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.MacAlgorithm;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.fault.FaultDecision;
import io.isoswitch.sim.fault.FaultInjector;
import io.isoswitch.sim.issuer.AuthorizationRequest;
import io.isoswitch.sim.issuer.IssuerBank;
import io.isoswitch.sim.issuer.MessageClass;
import io.isoswitch.sim.issuer.ResponseCode;
import io.isoswitch.sim.wire.MessageMacs;
import io.isoswitch.sim.wire.WorkingKeys;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer-link connection: answers network management (0800: sign-on 001 with new ZPK and ZAK
 * under the ZMK in field 48, sign-off 002, echo 301) and financial requests (0100, 0200, 0220,
 * 0400, 0420 and their repeats) through the bank, then carries out the fault injector's decision
 * for each financial answer. Runs on the connection's event loop; the bank's critical section is
 * microseconds and does no I/O.
 */
final class IssuerHandler extends SimpleChannelInboundHandler<Frame> {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerHandler.class);
    /** MAC algorithm of the issuer link: the ANSI X9.19 retail MAC under the ZAK. */
    static final MacAlgorithm LINK_MAC = MacAlgorithm.ANSI_X9_19;
    private static final int MAC_LENGTH = 8;

    private final MessageSpec spec;
    private final IssuerBank bank;
    private final IssuerKeys keys;
    private final FaultInjector faults;
    private final boolean requireSignOn;
    private final IssuerRequestMapper mapper;
    private final ChipAnswers chip;
    private final IssuerSession session = new IssuerSession();
    /** This connection's view, rewrapped for each request and each signed answer (event loop only). */
    private final IsoMessageView view;

    IssuerHandler(MessageSpec spec, IssuerHostConfig config, Clock clock, ChipAnswers chip) {
        this.chip = chip;
        this.spec = spec;
        this.view = new IsoMessageView(spec);
        this.bank = config.bank();
        this.keys = config.keys();
        this.faults = config.faults();
        this.requireSignOn = config.requireSignOn();
        this.mapper = new IssuerRequestMapper(bank, keys, clock);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        byte[] body = ByteBufUtil.getBytes(frame.body());
        IsoMessage request;
        int macOffset;
        byte[] mac;
        try {
            // one wrap of this connection's view: the message, and where its MAC lies, both from it
            view.wrap(Unpooled.wrappedBuffer(body)).validate();
            request = IsoMessage.from(view);
            int macField = view.has(128) ? 128 : view.has(64) ? 64 : 0;
            macOffset = macField == 0 ? -1 : view.contentOffset(macField);
            mac = macField == 0 ? null : view.getBytes(macField);
        } catch (IsoCodecException e) {
            // without an MTI there is nobody to answer: a real host logs it and reads on
            LOG.warn("issuer {}: undecodable request from {}: {}", bank.name(), ctx.channel().remoteAddress(),
                    e.getMessage());
            return;
        }
        int mti = Integer.parseInt(request.mti());
        if (mti == 800 || mti == 801) {
            send(ctx, networkManagement(request));
            return;
        }
        IsoMessage held = request;
        int heldMacOffset = macOffset;
        byte[] heldMac = mac;
        // a reversal (04xx) is never held: it overtakes the originals held, as on another path
        faults.processOrHold(mti / 100 == 4, () -> {
            IsoMessage response = faults.rewritten(financial(held, body, heldMacOffset, heldMac, mti));
            FaultDecision decision = faults.nextAnswer();
            byte[] encoded = encode(response, held);
            carryOut(ctx, decision, encoded);
        }, ctx.executor());
    }

    private IsoMessage networkManagement(IsoMessage request) {
        String code = request.has(70) ? request.getString(70) : "";
        switch (code) {
            case "001", "101" -> {
                if (faults.refuseSignOn()) {
                    return IssuerResponses.answer(request, 810, ResponseCode.ISSUER_UNAVAILABLE);
                }
                SecureKey zpk = keys.hsm().generateKey(KeyKind.ZPK, KeyAlgorithm.TDES_2KEY);
                SecureKey zak = keys.hsm().generateKey(KeyKind.ZAK, KeyAlgorithm.TDES_2KEY);
                session.signOn(zpk, zak);
                IsoMessage response = IssuerResponses.answer(request, 810, ResponseCode.APPROVED);
                response.set(48, WorkingKeys.toHex(List.of(keys.hsm().exportKey(zpk, keys.zmk()),
                        keys.hsm().exportKey(zak, keys.zmk()))));
                return response;
            }
            case "002" -> {
                session.signOff();
                return IssuerResponses.answer(request, 810, ResponseCode.APPROVED);
            }
            case "301" -> {
                return IssuerResponses.answer(request, 810, ResponseCode.APPROVED);
            }
            default -> {
                return IssuerResponses.answer(request, 810, ResponseCode.INVALID_TRANSACTION);
            }
        }
    }

    private IsoMessage financial(IsoMessage request, byte[] body, int macOffset, byte[] mac, int mti) {
        MessageClass messageClass;
        try {
            messageClass = MessageClass.ofRequestMti(mti);
        } catch (IllegalArgumentException e) {
            return IssuerResponses.answer(request, mti - mti % 10 + 10, ResponseCode.INVALID_TRANSACTION);
        }
        int responseMti = messageClass.responseMti();
        if (requireSignOn && !session.signedOn()) {
            return IssuerResponses.answer(request, responseMti, ResponseCode.ISSUER_UNAVAILABLE);
        }
        if (!macVerified(body, macOffset, mac)) {
            return IssuerResponses.answer(request, responseMti, ResponseCode.SYSTEM_MALFUNCTION);
        }
        byte[] requestIccData = request.has(ChipAnswers.FIELD) ? request.getBytes(ChipAnswers.FIELD) : null;
        chip.received(requestIccData);
        try {
            AuthorizationRequest authorization = mapper.map(messageClass, request, session);
            IsoMessage response = IssuerResponses.answer(request, responseMti, bank.authorize(authorization));
            if (messageClass != MessageClass.REVERSAL && messageClass != MessageClass.REVERSAL_ADVICE) {
                // issuer authentication data for the card (a reversal's answer has no card to reach)
                byte[] iccData = chip.answer(requestIccData, response.getString(39));
                if (iccData != null) {
                    response.set(ChipAnswers.FIELD, iccData);
                }
            }
            return response;
        } catch (IssuerRequestMapper.FormatError e) {
            LOG.debug("issuer {}: format error: {}", bank.name(), e.getMessage());
            return IssuerResponses.answer(request, responseMti, ResponseCode.FORMAT_ERROR);
        } catch (RuntimeException e) {
            LOG.warn("issuer {}: system error on {} ({})", bank.name(), messageClass, e.getClass().getSimpleName());
            return IssuerResponses.answer(request, responseMti, ResponseCode.SYSTEM_MALFUNCTION);
        }
    }

    /**
     * A request without a MAC passes; one with a MAC needs the session's ZAK to verify it. The MAC
     * block is {@code body[0, macOffset)}, verified in place.
     */
    private boolean macVerified(byte[] body, int macOffset, byte[] mac) {
        if (mac == null) {
            return true;
        }
        if (session.zak() == null) {
            return false;
        }
        try {
            return keys.hsm().verifyMac(session.zak(), LINK_MAC, body, 0, macOffset, mac);
        } catch (HsmException e) {
            return false;
        }
    }

    /**
     * Encodes a response, signed with the ZAK when the request carried a MAC. When the MAC field
     * encodes as the message's last 8 bytes (binary, as on this link), the message is encoded once
     * with a zero MAC and the MAC written over it in place: the same bytes as
     * {@link MessageMacs#encodeSigned}, which encodes twice and copies the block.
     */
    private byte[] encode(IsoMessage response, IsoMessage request) {
        boolean signed = (request.has(64) || request.has(128)) && session.zak() != null;
        if (!signed) {
            return response.encode(spec);
        }
        SecureKey zak = session.zak();
        int field = MessageMacs.macField(response);
        response.unset(field == 64 ? 128 : 64);
        response.set(field, new byte[MAC_LENGTH]);
        byte[] encoded = response.encode(spec);
        int macOffset = view.wrap(Unpooled.wrappedBuffer(encoded)).contentOffset(field);
        if (encoded.length - macOffset != MAC_LENGTH) {
            return MessageMacs.encodeSigned(response, spec, block -> keys.hsm().generateMac(zak, LINK_MAC, block, 0, block.length));
        }
        byte[] mac = keys.hsm().generateMac(zak, LINK_MAC, encoded, 0, macOffset);
        System.arraycopy(mac, 0, encoded, macOffset, MAC_LENGTH);
        return encoded;
    }

    private void carryOut(ChannelHandlerContext ctx, FaultDecision decision, byte[] encoded) {
        Runnable action = switch (decision.action()) {
            case ANSWER, LATE_ANSWER -> () -> write(ctx, encoded);
            case NO_ANSWER -> null;
            case DROP_CONNECTION -> ctx::close;
            case GARBAGE -> () -> write(ctx, faults.garbage());
            case DAMAGED -> () -> write(ctx, faults.damaged(encoded));
            case DUPLICATE -> () -> {
                write(ctx, encoded);
                write(ctx, encoded);
            };
        };
        if (action == null) {
            return;
        }
        Runnable answer = () -> faults.answerOrHold(action, ctx.executor());
        if (decision.delay().isZero()) {
            answer.run();
        } else {
            ctx.executor().schedule(answer, decision.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void send(ChannelHandlerContext ctx, IsoMessage response) {
        write(ctx, response.encode(spec));
    }

    /** Writes one frame; a garbage frame is well framed (right length header) with a random body. */
    private static void write(ChannelHandlerContext ctx, byte[] body) {
        if (ctx.channel().isActive()) {
            // no promise per answer: a failed write reaches exceptionCaught, which closes the connection
            ctx.writeAndFlush(new Frame(Unpooled.wrappedBuffer(body), 0), ctx.voidPromise());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("issuer {}: connection {} failed ({})", bank.name(), ctx.channel().remoteAddress(),
                cause.getClass().getSimpleName());
        ctx.close();
    }
}
