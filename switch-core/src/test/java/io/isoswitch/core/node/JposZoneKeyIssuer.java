package io.isoswitch.core.node;

import io.isoswitch.core.testing.PlainJce;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import javax.crypto.Cipher;
import org.jpos.core.SimpleConfiguration;
import org.jpos.iso.BaseChannel;
import org.jpos.iso.ISOException;
import org.jpos.iso.ISOMsg;
import org.jpos.iso.ISOServer;
import org.jpos.iso.ISOSource;
import org.jpos.iso.channel.NACChannel;
import org.jpos.iso.packager.GenericPackager;

/**
 * An issuer host written from docs/issuer-links.md alone with a third party's stack: jPOS's
 * ISOServer, its stock NACChannel (2-byte binary length) and iso87binary packager, the crypto in
 * plain JCE ({@link PlainJce}). At each sign-on ({@code 0800} / 70 = 001) it makes a fresh ZPK and
 * ZAK for that connection and sends them in field 48 under the ZMK, each followed by the first 4
 * bytes of its check value; then it verifies the X9.19 MAC of every financial request under the
 * ZAK of the connection it came on (64, or 128 beside a secondary bitmap), decrypts field 52 under
 * that connection's ZPK and checks the PIN, and MACs every financial answer the same way.
 *
 * <p>What it saw is kept ({@link #requests()}); how it answers is the test's: {@link #answers}
 * may change the answer it built, or return null to keep it silent.
 */
final class JposZoneKeyIssuer implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One request as the host read it, with what it found checking it. */
    record Seen(ISOMsg message, boolean macPresent, boolean macVerified, String pin, BaseChannel connection) {
        String mti() {
            try {
                return message.getMTI();
            } catch (ISOException e) {
                throw new IllegalStateException(e);
            }
        }

        String field(int field) {
            return message.getString(field);
        }
    }

    /** A connection's zone keys in the clear, as this host made them at its sign-on. */
    record ZoneKeys(byte[] zpk, byte[] zak) {
    }

    /** Changes a built answer in place; return false to send nothing. */
    interface Answers {
        boolean shape(ISOMsg request, ISOMsg answer) throws Exception;
    }

    private final byte[] zmk;
    private final Map<String, String> pinsByPan = new java.util.concurrent.ConcurrentHashMap<>();
    private final ISOServer server;
    private final Thread thread;
    private final int port;
    private final Map<BaseChannel, ZoneKeys> keys = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final java.util.Set<BaseChannel> signedOff = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** What went wrong on the host's side (a test that sees one here failed at the host, not the switch). */
    final List<Exception> failures = new CopyOnWriteArrayList<>();
    private final List<ISOMsg> answersToOurRequests = new CopyOnWriteArrayList<>();
    volatile Answers answers = (request, answer) -> true;
    /** Sees the bytes of each answer before they go (to damage or extend them); MAC recomputed after. */
    volatile BiConsumer<ISOMsg, byte[][]> rawAnswers = null;

    JposZoneKeyIssuer(byte[] clearZmk) throws IOException, ISOException {
        this(clearZmk, 0);
    }

    /** On {@code port} of 127.0.0.1 (0: a free one), e.g. for a run by hand against {@code iso-switch serve}. */
    JposZoneKeyIssuer(byte[] clearZmk, int fixedPort) throws IOException, ISOException {
        this.zmk = clearZmk.clone();
        if (fixedPort != 0) {
            port = fixedPort;
        } else {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }
        server = new ISOServer(port, new NACChannel(new GenericPackager("jar:packager/iso87binary.xml"), null), 8);
        SimpleConfiguration bind = new SimpleConfiguration();
        bind.put("bind-address", "127.0.0.1");
        server.setConfiguration(bind);
        server.addISORequestListener((source, message) -> {
            try {
                receive(source, message);
            } catch (Exception e) {
                failures.add(e);
                throw new IllegalStateException(e);
            }
            return true;
        });
        thread = Thread.ofPlatform().daemon().name("jpos-issuer").start(server);
    }

    /** A card this host knows: its PIN is what field 52 must carry. */
    void issue(String pan, String pin) {
        pinsByPan.put(pan, pin);
    }

    int port() {
        return port;
    }

    List<Seen> requests() {
        return requests;
    }

    /** Answers (08x0) the switch gave to requests this host sent it. */
    List<ISOMsg> answersToOurRequests() {
        return answersToOurRequests;
    }

    /** The connections that are signed on with keys from this host, most recent last. */
    List<BaseChannel> signedOnConnections() {
        synchronized (keys) {
            return keys.keySet().stream().filter(BaseChannel::isConnected).toList();
        }
    }

    ZoneKeys keysOf(BaseChannel connection) {
        return keys.get(connection);
    }

    /** Sends a message the host starts (an echo, a key change) on one of its connections. */
    void send(BaseChannel connection, ISOMsg message) throws IOException, ISOException {
        connection.send(message);
    }

    /** Signs a connection off (0800 / 002): the host answers nothing more on it until the switch signs on again. */
    void signOff(BaseChannel connection, String stan) throws IOException, ISOException {
        signedOff.add(connection);
        ISOMsg signOff = new ISOMsg("0800");
        signOff.set(7, "1127120000");
        signOff.set(11, stan);
        signOff.set(70, "002");
        connection.send(signOff);
    }

    private void receive(ISOSource source, ISOMsg request) throws Exception {
        BaseChannel connection = (BaseChannel) source;
        String mti = request.getMTI();
        if (mti.charAt(2) == '1' || mti.charAt(2) == '3') {
            answersToOurRequests.add((ISOMsg) request.clone());
            return;
        }
        if (mti.startsWith("08")) {
            answerNetworkManagement(connection, request);
            return;
        }
        if (signedOff.contains(connection)) {
            // a host takes nothing on a connection it signed off until the switch signs on again
            requests.add(new Seen((ISOMsg) request.clone(), false, false, null, connection));
            return;
        }
        ZoneKeys zone = keys.get(connection);
        int macField = request.hasField(128) ? 128 : 64;
        boolean macPresent = request.hasField(macField);
        boolean macVerified = false;
        String pin = null;
        if (zone != null) {
            byte[] packed = request.pack();
            macVerified = macPresent && Arrays.equals(request.getBytes(macField),
                    PlainJce.x919(zone.zak(), Arrays.copyOf(packed, packed.length - 8)));
            if (request.hasField(52)) {
                pin = pinOf(PlainJce.ecb(zone.zpk(), Cipher.DECRYPT_MODE, request.getBytes(52)), request.getString(2));
            }
        }
        requests.add(new Seen((ISOMsg) request.clone(), macPresent, macVerified, pin, connection));
        ISOMsg answer = decide(request, macVerified, pin);
        if (!answers.shape(request, answer)) {
            return;
        }
        sendMaced(connection, answer, zone);
    }

    /** 00 for a good MAC and, where a PIN came, the right PIN (else 55); reversals and advices acknowledged. */
    private ISOMsg decide(ISOMsg request, boolean macVerified, String pin) throws ISOException {
        ISOMsg answer = new ISOMsg();
        answer.setPackager(request.getPackager());
        answer.setMTI(request.getMTI().substring(0, 2) + (char) (request.getMTI().charAt(2) + 1) + "0");
        for (int field : new int[] {2, 3, 4, 7, 11, 12, 13, 32, 33, 37, 41, 42, 49, 90}) {
            if (request.hasField(field)) {
                answer.set(field, request.getString(field));
            }
        }
        String code;
        if (!macVerified) {
            code = "96"; // a request it cannot authenticate is refused, as a system error
        } else if (request.hasField(52)) {
            code = pin != null && pin.equals(pinsByPan.get(request.getString(2))) ? "00" : "55";
        } else {
            code = "00";
        }
        answer.set(39, code);
        if ("00".equals(code) && (request.getMTI().startsWith("01") || request.getMTI().startsWith("02"))) {
            answer.set(38, "J" + request.getString(11).substring(1));
        }
        return answer;
    }

    /** Sends an answer the test held back, MACed under the connection's keys. */
    void sendAnswer(BaseChannel connection, ISOMsg answer) throws Exception {
        sendMaced(connection, answer, keys.get(connection));
    }

    private void sendMaced(BaseChannel connection, ISOMsg answer, ZoneKeys zone) throws Exception {
        int macField = answer.getMaxField() > 64 ? 128 : 64;
        answer.set(macField, new byte[8]);
        byte[] packed = answer.pack();
        BiConsumer<ISOMsg, byte[][]> raw = rawAnswers;
        if (raw != null) {
            byte[][] holder = {packed};
            raw.accept(answer, holder);
            packed = holder[0];
        }
        if (zone != null) {
            byte[] mac = PlainJce.x919(zone.zak(), Arrays.copyOf(packed, packed.length - 8));
            System.arraycopy(mac, 0, packed, packed.length - 8, 8);
        }
        sendFramed(connection, packed);
    }

    /**
     * Writes a message's bytes with the {@code binary2} length header (2 bytes, big-endian, the
     * length of what follows): jPOS's {@code BaseChannel.send(byte[])} writes bytes as they are.
     */
    static void sendFramed(BaseChannel connection, byte[] message) throws IOException, ISOException {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        connection.send(framed);
    }

    private void answerNetworkManagement(BaseChannel connection, ISOMsg request) throws Exception {
        ISOMsg answer = new ISOMsg("0810");
        for (int field : new int[] {7, 11, 32, 33, 70}) {
            if (request.hasField(field)) {
                answer.set(field, request.getString(field));
            }
        }
        answer.set(39, "00");
        requests.add(new Seen((ISOMsg) request.clone(), false, false, null, connection));
        if ("001".equals(request.getString(70))) {
            ZoneKeys fresh = new ZoneKeys(newKey(), newKey());
            answer.set(48, keyField(fresh));
            if (!answers.shape(request, answer)) {
                return;
            }
            // the keys serve this connection once the answer leaves
            keys.put(connection, fresh);
            signedOff.remove(connection);
            connection.send(answer);
            return;
        }
        if (answers.shape(request, answer)) {
            connection.send(answer);
        }
    }

    /** Field 48 of a sign-on answer: hex(ZPK under ZMK, its KCV's first 4 bytes, ZAK under ZMK, its 4). */
    String keyField(ZoneKeys zone) throws GeneralSecurityException {
        byte[] field = new byte[40];
        System.arraycopy(PlainJce.ecb(zmk, Cipher.ENCRYPT_MODE, zone.zpk()), 0, field, 0, 16);
        System.arraycopy(PlainJce.ecb(zone.zpk(), Cipher.ENCRYPT_MODE, new byte[8]), 0, field, 16, 4);
        System.arraycopy(PlainJce.ecb(zmk, Cipher.ENCRYPT_MODE, zone.zak()), 0, field, 20, 16);
        System.arraycopy(PlainJce.ecb(zone.zak(), Cipher.ENCRYPT_MODE, new byte[8]), 0, field, 36, 4);
        return HEX.formatHex(field);
    }

    /** Replaces a connection's keys (an issuer-initiated key change): the test sends {@link #keyField} itself. */
    void useKeys(BaseChannel connection, ZoneKeys zone) {
        keys.put(connection, zone);
    }

    /** A double-length TDES key with odd parity in every byte. */
    static byte[] newKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        for (int i = 0; i < key.length; i++) {
            int b = key[i] & 0xFE;
            key[i] = (byte) (Integer.bitCount(b) % 2 == 0 ? b | 1 : b);
        }
        return key;
    }

    /** The PIN of an ISO 9564 format 0 block: XOR the PAN field back out, then read length and digits. */
    static String pinOf(byte[] clearBlock, String pan) {
        if (pan == null) {
            return null;
        }
        byte[] panField = HexFormat.of().parseHex("0000" + pan.substring(pan.length() - 13, pan.length() - 1));
        byte[] pinField = new byte[8];
        for (int i = 0; i < 8; i++) {
            pinField[i] = (byte) (clearBlock[i] ^ panField[i]);
        }
        String hex = HEX.formatHex(pinField);
        if (hex.charAt(0) != '0') {
            return null;
        }
        int length = Character.digit(hex.charAt(1), 16);
        return length < 4 || length > 12 ? null : hex.substring(2, 2 + length);
    }

    @Override
    public void close() {
        server.shutdown();
        thread.interrupt();
    }
}
