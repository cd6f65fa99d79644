import io.isoswitch.codec.IsoMessageWriter;
import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import io.isoswitch.core.pipeline.RrnGenerator;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.settlement.journal.CardReference;
import io.isoswitch.settlement.journal.JournalRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Thread CPU time of the per-transaction steps the perf8 branch changed, so that a build before and
 * after can be compared on a loaded machine (CPU time of one thread is not inflated by other
 * processes the way wall time is). Run against each jar, alternating:
 *
 * <pre>
 * java -Xms256m -Xmx256m -cp OLD.jar bench/scripts/CardPathCpu.java 5
 * java -Xms256m -Xmx256m -cp NEW.jar bench/scripts/CardPathCpu.java 5
 * </pre>
 */
public class CardPathCpu {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static volatile Object sink;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.fromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
                new SecureRandom());
        SecureKey tokenKey = hsm.generateKey(KeyKind.HMAC, KeyAlgorithm.AES_256);
        SecureKey dataKey = hsm.generateKey(KeyKind.DATA, KeyAlgorithm.AES_256);
        MessageSpec spec = Dialects.iso87binary();
        RrnGenerator rrns = new RrnGenerator(1, Clock.systemUTC(), ZoneOffset.UTC);
        String pan = "4761739001010010";
        LocalDate today = LocalDate.now();
        LocalDateTime local = LocalDateTime.now();
        for (int r = 0; r < rounds; r++) {
            boolean report = r > 0;
            measure("PAN token + PAN encryption (hsm)", 100_000, report, () -> {
                String token = hsm.panToken(tokenKey, pan);
                sink = hsm.encryptPan(dataKey, pan);
                return token;
            });
            measure("journal record (CardReference + JournalRequest checks)", 200_000, report, () -> {
                CardReference card = new CardReference(new byte[32], "476173******0010", new byte[40], "dk1");
                return new JournalRequest("node-1", today, "TERM0001", "MERCHANT0000001", "000123", today, "0200", local,
                        "PURCHASE", "000000", 1000, "978", card, null, null);
            });
            measure("RRN", 500_000, report, rrns::next);
            measure("IsoMessageWriter for a message", 200_000, report, () -> new IsoMessageWriter(spec));
        }
    }

    interface Op {
        Object run();
    }

    static void measure(String name, int n, boolean report, Op op) {
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sink = op.run();
        }
        long ns = MX.getCurrentThreadCpuTime() - t0;
        if (report) {
            System.out.printf("%-58s %9.0f ns CPU per call%n", name, (double) ns / n);
        }
    }
}
