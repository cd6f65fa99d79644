import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardCsv;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.terminal.TerminalResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chaos driver (bench, session 11): terminals that buy on one node and repeat on the other.
 * Each terminal, in rounds alternating the two nodes: sign-on at node A, purchase; move to node B,
 * sign on, send the purchase again as a repeat (0201, same STAN); then reverse it (0400) and repeat
 * the reversal (0401), or void it, or keep it. A purchase left without an answer (a node killed
 * under it) is repeated on the other node at once, as a terminal in doubt does, and its pending
 * reversal delivered there. Every answer is logged; a repeat answered differently from its first
 * answer is counted as MISMATCH. Only 127.0.0.1; stops at --seconds or when the stop file exists.
 *
 * java -cp iso-switch.jar ChaosTerminals.java PORT_A PORT_B CARDS.csv SECONDS STOPFILE TID...
 */
public final class ChaosTerminals {
    static final AtomicLong mismatches = new AtomicLong();
    static final AtomicLong rounds = new AtomicLong();

    /**
     * Signs on until the node says 00. A sign-on refused while the database is away (96) leaves the
     * terminal on the keys of its last node, and what it sends under them is refused (63 MAC, 99 PIN),
     * which an earlier driver counted as a repeat answered differently.
     */
    static void signOn(PosTerminal terminal) {
        String code = "";
        for (int attempt = 0; attempt < 40; attempt++) {
            code = terminal.signOn().responseCode();
            if ("00".equals(code)) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("sign-on not answered 00 in 10 s (last '" + code + "')");
    }

    public static void main(String[] args) throws Exception {
        int[] ports = {Integer.parseInt(args[0]), Integer.parseInt(args[1])};
        List<IssuedCard> cards = CardCsv.read(Path.of(args[2]));
        Instant end = Instant.now().plusSeconds(Long.parseLong(args[3]));
        Path stop = Path.of(args[4]);
        List<Thread> threads = new ArrayList<>();
        PrintWriter out = new PrintWriter(System.out, true);
        for (int i = 5; i < args.length; i++) {
            String tid = args[i];
            int seed = i;
            threads.add(Thread.ofPlatform().start(() -> runTerminal(tid, seed, ports, cards, end, stop, out)));
        }
        for (Thread t : threads) {
            t.join();
        }
        out.printf("SUMMARY rounds=%d mismatches=%d%n", rounds.get(), mismatches.get());
    }

    static void runTerminal(String tid, int seed, int[] ports, List<IssuedCard> cards, Instant end, Path stop,
            PrintWriter out) {
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        SecureKey tmk = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY,
                List.of(HexFormat.of().parseHex("11111111111111112222222222222222")));
        TerminalConfig config = new TerminalConfig("127.0.0.1", ports[0], TerminalDialect.named("iso87binary"), tid,
                "MERCHANT0000001", 156, hsm, tmk, Duration.ofSeconds(15), 3, Clock.systemUTC());
        // ten STANs per second of the UTC day, as `iso-switch terminal` numbers a run: runs do not collide
        int firstStan = Math.max(1, LocalTime.now(ZoneOffset.UTC).toSecondOfDay() * 10 % 999_000);
        Random random = new Random(seed * 7919L + firstStan);
        PosTerminal terminal = null;
        int round = 0;
        while (Instant.now().isBefore(end) && !Files.exists(stop)) {
            int a = ports[round % 2];
            int b = ports[(round + 1) % 2];
            round++;
            try {
                if (terminal == null) {
                    terminal = PosTerminal.connect(config.withPort(a), firstStan);
                } else {
                    terminal.reconnect(a);
                }
                signOn(terminal);
                terminal.retryPendingReversals();
                CardData card = CardData.of(cards.get(random.nextInt(cards.size())));
                TerminalResult p = terminal.purchase(card, 100 + random.nextInt(4900));
                boolean inDoubt = p.responseCode().isEmpty();
                // to the other node: a terminal in doubt (or a scripted repeat) sends the request again
                terminal.reconnect(b);
                signOn(terminal);
                Optional<TerminalResult> rep = terminal.repeatLastMarked();
                String repCode = rep.map(TerminalResult::responseCode).orElse("-");
                String repRrn = rep.map(TerminalResult::rrn).orElse("-");
                boolean mismatch = !inDoubt && !repCode.equals(p.responseCode()) && !repCode.isEmpty();
                if (mismatch) {
                    mismatches.incrementAndGet();
                }
                int pending = terminal.retryPendingReversals();
                String undo = "keep";
                String undoCode = "";
                String undoRepeat = "";
                if (!inDoubt && p.approved()) {
                    int pick = random.nextInt(3);
                    if (pick == 0) {
                        undo = "reversal";
                        TerminalResult r = terminal.reverse(p);
                        undoCode = r.responseCode();
                        undoRepeat = terminal.repeatLastReversal().orElse("-");
                    } else if (pick == 1) {
                        undo = "void";
                        TerminalResult v = terminal.voidOf(p);
                        undoCode = v.responseCode();
                        Optional<TerminalResult> vr = terminal.repeatLastMarked();
                        undoRepeat = vr.map(TerminalResult::responseCode).orElse("-");
                        if (!undoRepeat.equals("-") && !undoRepeat.isEmpty() && !undoRepeat.equals(undoCode)) {
                            mismatches.incrementAndGet();
                            mismatch = true;
                        }
                    }
                }
                rounds.incrementAndGet();
                out.printf("%s %s a=%d b=%d stan=%d pan=%s amt=%d first=%s rrn=%s repeat=%s reprrn=%s pendingRev=%d %s=%s/%s%s%n",
                        Instant.now(), tid, a, b, p.stan(), p.maskedPan(), p.amountMinor(),
                        inDoubt ? "NOANSWER" : p.responseCode(), p.rrn(), repCode, repRrn, pending, undo, undoCode,
                        undoRepeat, mismatch ? " MISMATCH" : "");
            } catch (RuntimeException e) {
                out.printf("%s %s a=%d b=%d ERROR %s%n", Instant.now(), tid, a, b, e);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        if (terminal != null) {
            try {
                terminal.reconnect(ports[0]);
                signOn(terminal);
                out.printf("%s %s final pending reversals %d%n", Instant.now(), tid, terminal.retryPendingReversals());
            } catch (RuntimeException e) {
                out.printf("%s %s final ERROR %s%n", Instant.now(), tid, e);
            }
            terminal.close();
        }
    }
}
