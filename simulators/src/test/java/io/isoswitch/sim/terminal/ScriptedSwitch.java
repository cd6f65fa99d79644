package io.isoswitch.sim.terminal;

import io.isoswitch.codec.IsoMessage;
import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.Hsm;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.PinBlockFormat;
import io.isoswitch.security.SecureKey;
import io.isoswitch.sim.wire.FramedSocket;
import io.isoswitch.sim.wire.MessageMacs;
import io.isoswitch.sim.wire.WorkingKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny switch for terminal tests, over real TCP on 127.0.0.1: it issues working keys under the
 * terminal's TMK at sign-on, checks every financial request's MAC and PIN block, answers with the
 * response code scripted for the request's amount (00 otherwise), MACs its answers, keeps its own
 * batch totals for settlement, and can stay silent or corrupt a MAC on purpose.
 */
final class ScriptedSwitch implements AutoCloseable {
    final TerminalDialect dialect;
    final Hsm hsm;
    final SecureKey tmk;
    final Map<Long, String> codeByAmount = new ConcurrentHashMap<>();
    /** When set, every settlement (0500) is answered with this code and nothing else. */
    volatile String settlementCode;
    /** A code for the next answered request of an amount only; the ones after get {@link #codeByAmount}'s. */
    final Map<Long, String> codeOnceByAmount = new ConcurrentHashMap<>();
    final Map<String, String> pinByPan = new ConcurrentHashMap<>();
    final Set<Long> silentAmounts = ConcurrentHashMap.newKeySet();
    /** Amounts whose first request goes unanswered (its answer lost); a repeat is answered. */
    final Set<Long> silentOnceAmounts = ConcurrentHashMap.newKeySet();
    final Set<Long> badMacAmounts = ConcurrentHashMap.newKeySet();
    /** Codes for the next reversals, one each (00 after them); a reversal answered other than 00 reverses nothing. */
    final java.util.Queue<String> reversalCodes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final Set<Long> dropAmounts = ConcurrentHashMap.newKeySet();
    final List<IsoMessage> received = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    volatile boolean forceUnbalanced;
    /** When set, every answer is sent damaged ({@link io.isoswitch.sim.fault.ByteDamage}) with this generator. */
    volatile java.util.SplittableRandom damageAnswers;
    final java.util.concurrent.atomic.AtomicLong hostDebits = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Long> effects = new ConcurrentHashMap<>();
    private final ServerSocket server;
    private final Thread thread;

    /** Working keys per terminal id: they outlive a connection, as a switch's do. */
    private final Map<String, SecureKey[]> keys = new ConcurrentHashMap<>();

    ScriptedSwitch(TerminalDialect dialect, Hsm hsm, SecureKey tmk) {
        this.dialect = dialect;
        this.hsm = hsm;
        this.tmk = tmk;
        try {
            this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = Thread.ofVirtual().start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Serves each connection on its own virtual thread (terminals may redial), until closed. */
    private void serve() {
        while (!server.isClosed()) {
            try {
                FramedSocket socket = FramedSocket.wrap(server.accept(), dialect.header(), dialect.prefix());
                Thread.ofVirtual().start(() -> {
                    try (socket) {
                        serve(socket);
                    } catch (FramedSocket.PeerClosedException e) {
                        // the terminal hung up
                    }
                });
            } catch (IOException e) {
                // the test closed the server
            }
        }
    }

    private void serve(FramedSocket socket) {
        while (true) {
            Optional<byte[]> body = socket.receive(Duration.ofMinutes(5));
            if (body.isEmpty()) {
                return;
            }
            IsoMessage request = IsoMessage.decode(dialect.spec(), body.get());
            received.add(request);
            if (request.has(4) && dropAmounts.remove(Long.parseLong(request.getString(4)))) {
                return; // hang up on this request, as a switch node killed mid-transaction
            }
            byte[] answer = answer(request, body.get());
            java.util.SplittableRandom damage = damageAnswers;
            if (answer != null && damage != null) {
                answer = io.isoswitch.sim.fault.ByteDamage.damage(answer, damage);
            }
            if (answer != null) {
                socket.send(answer);
            }
        }
    }

    private byte[] answer(IsoMessage request, byte[] body) {
        String mti = request.mti();
        IsoMessage response = new IsoMessage(String.format("%04d", Integer.parseInt(mti) - Integer.parseInt(mti) % 10 + 10));
        for (int field : new int[] {2, 3, 4, 11, 12, 13, 41, 42, 49, 60, 61, 70, 90}) {
            if (request.has(field)) {
                response.set(field, request.getString(field));
            }
        }
        switch (mti) {
            case "0800", "0820" -> {
                boolean signOn = mti.equals("0800") && (dialect.isCup() ? request.getString(60).endsWith("003")
                        : "001".equals(request.getString(70)));
                if (signOn) {
                    SecureKey tpk = hsm.generateKey(KeyKind.TPK, KeyAlgorithm.TDES_2KEY);
                    SecureKey tak = hsm.generateKey(KeyKind.TAK, KeyAlgorithm.TDES_2KEY);
                    this.keys.put(request.getString(41), new SecureKey[] {tpk, tak});
                    List<ExportedKey> keys = List.of(hsm.exportKey(tpk, tmk), hsm.exportKey(tak, tmk));
                    if (dialect.isCup()) {
                        response.set(62, WorkingKeys.toBytes(keys));
                        response.set(60, "00000042003");
                    } else {
                        response.set(62, WorkingKeys.toHex(keys));
                    }
                }
                return response.set(39, "00").encode(dialect.spec());
            }
            case "0500" -> {
                if (settlementCode != null) {
                    return response.set(39, settlementCode).encode(dialect.spec());
                }
                CurrencyTotals theirs = SettlementTotals.parse(request.getString(48), 978);
                boolean balanced = !forceUnbalanced && theirs.netAmountMinor() == hostDebits.get();
                response.set(48, SettlementTotals.format(theirs, balanced ? SettlementTotals.BALANCED
                        : SettlementTotals.UNBALANCED));
                // UnionPay says "unbalanced" in field 48 only; the 1987 dialects with 95 as well
                return response.set(39, balanced || dialect.isCup() ? "00" : "95").encode(dialect.spec());
            }
            case "0320" -> {
                return response.set(39, "00").encode(dialect.spec());
            }
            default -> {
                return financial(request, response, body);
            }
        }
    }

    private byte[] financial(IsoMessage request, IsoMessage response, byte[] body) {
        SecureKey[] terminalKeys = keys.get(request.getString(41));
        SecureKey tpk = terminalKeys[0];
        SecureKey tak = terminalKeys[1];
        long amount = request.has(4) ? Long.parseLong(request.getString(4)) : 0;
        boolean reversal = request.mti().startsWith("04");
        if (!reversal && (silentAmounts.contains(amount) || silentOnceAmounts.remove(amount))) {
            return null;
        }
        byte[] block = MessageMacs.macBlock(body, dialect.spec());
        if (block == null || !hsm.verifyMac(tak, dialect.macAlgorithm(), block, 0, block.length,
                MessageMacs.mac(body, dialect.spec()))) {
            problems.add("request " + request.mti() + " without a good MAC");
        }
        if (request.has(52)) {
            byte[] expected = hsm.encryptPin(tpk, pinByPan.getOrDefault(request.getString(2), "????"),
                    request.getString(2), PinBlockFormat.ISO_0);
            byte[] actual = request.getBytes(52) != null ? request.getBytes(52)
                    : java.util.HexFormat.of().parseHex(request.getString(52));
            response.set(39, Arrays.equals(expected, actual) ? codeByAmount.getOrDefault(amount, "00") : "55");
        } else {
            String once = reversal ? reversalCodes.poll() : codeOnceByAmount.remove(amount);
            response.set(39, once != null ? once : reversal ? "00" : codeByAmount.getOrDefault(amount, "00"));
        }
        String code = response.getString(39);
        if (reversal && code.equals("00")) {
            String originalStan = request.has(90) ? request.getString(90).substring(4, 10) : request.getString(11);
            Long effect = effects.remove(request.getString(41) + originalStan);
            hostDebits.addAndGet(effect == null ? 0 : -effect);
        } else if (code.equals("00")) {
            response.set(37, "633010" + request.getString(11)).set(38, "A" + request.getString(11).substring(1));
            String processing = request.getString(3);
            long effect = request.mti().equals("0100") ? 0 : processing.startsWith("00") ? amount
                    : processing.startsWith("20") || processing.startsWith("02") ? -amount : 0;
            // a repeat (an advice sent again) books nothing more, as a host's idempotency key sees to
            if (effects.putIfAbsent(request.getString(41) + request.getString(11), effect) == null) {
                hostDebits.addAndGet(effect);
            }
            if (processing.startsWith("31")) {
                response.set(54, "0002978C000000012345");
            }
        }
        byte[] signed = MessageMacs.encodeSigned(response, dialect.spec(),
                b -> hsm.generateMac(tak, dialect.macAlgorithm(), b, 0, b.length));
        if (badMacAmounts.contains(amount) && !reversal) {
            // another byte that is still a hex digit: iso87ascii writes the MAC as hex text, and a flipped bit
            // there ('A' to '@') makes the answer undecodable instead of wrongly signed
            signed[signed.length - 1] = (byte) (signed[signed.length - 1] == '0' ? '1' : '0');
        }
        return signed;
    }

    List<String> mtis() {
        List<String> mtis = new ArrayList<>();
        received.forEach(m -> mtis.add(m.mti()));
        return mtis;
    }

    Set<String> distinctStans() {
        Set<String> stans = new HashSet<>();
        received.forEach(m -> stans.add(m.getString(11)));
        return stans;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread.interrupt();
    }
}
