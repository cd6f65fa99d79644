package io.isoswitch.core.pipeline;

import io.isoswitch.settlement.saf.SafRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The reversals {@link UnknownOutcomes} owes, on the node's local disk: they arise when the journal
 * database cannot be written, so the database cannot hold them, and a process killed before the
 * database is back must find them again at its next start. An append-only text file (UTF-8), one
 * line a change, forced to disk before the terminal hears its 96:
 *
 * <pre>
 * owed &lt;record id&gt; &lt;issuer id&gt; &lt;reason code&gt; &lt;amount minor&gt; &lt;currency&gt; [&lt;chip data, hex&gt;]
 * settled &lt;record id&gt;
 * abandoned &lt;record id&gt;
 * </pre>
 *
 * {@code abandoned}: its record never appeared, nothing to reverse (read as {@code settled}).
 *
 * <p>It names journal records only: no card data (the chip data is the reversal's, which holds none). A line torn by a crash mid-write is skipped. A
 * {@code settled} line lost the same way only replays a reversal whose record has moved on, which
 * moves nothing.
 */
final class OwedReversalsFile {
    private final Path file;
    private FileChannel out;

    OwedReversalsFile(Path file) {
        this.file = file;
    }

    /** What the file says is still owed, in the order it was owed (empty when there is no file). */
    Map<UUID, SafRequest> read() {
        Map<UUID, SafRequest> owed = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return owed;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                try {
                    if ((f.length == 6 || f.length == 7) && f[0].equals("owed")) {
                        owed.put(UUID.fromString(f[1]), SafRequest.reversal(f[2], f[3], Long.parseLong(f[4]), f[5],
                                f.length == 7 ? HexFormat.of().parseHex(f[6]) : null));
                    } else if (f.length == 2 && (f[0].equals("settled") || f[0].equals("abandoned"))) {
                        owed.remove(UUID.fromString(f[1]));
                    }
                } catch (IllegalArgumentException torn) {
                    // the last line of a process killed mid-write
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading owed reversals from " + file + " failed", e);
        }
        return owed;
    }

    /**
     * Replaces the file with {@code owed} only (at start, after {@link #read()}), atomically. With
     * nothing owed and no file, no file is made: a node that never owed anything leaves none.
     */
    synchronized void rewrite(Map<UUID, SafRequest> owed) {
        closeOut();
        if (owed.isEmpty() && !Files.exists(file)) {
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path next = parent.resolve(file.getFileName() + ".next");
            StringBuilder text = new StringBuilder();
            owed.forEach((id, reversal) -> text.append(owedLine(id, reversal)));
            try (FileChannel c = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                c.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                c.force(true);
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting owed reversals in " + file + " failed", e);
        }
    }

    /** Record {@code id} is owed {@code reversal}; on disk when this returns. */
    synchronized void owed(UUID id, SafRequest reversal) {
        append(owedLine(id, reversal));
    }

    /** Record {@code id} owes nothing any more. */
    synchronized void settled(UUID id) {
        append("settled " + id + "\n");
    }

    /** Record {@code id}'s owed reversal was given up: its record never appeared. */
    synchronized void abandoned(UUID id) {
        append("abandoned " + id + "\n");
    }

    private static String owedLine(UUID id, SafRequest r) {
        byte[] iccData = r.iccData();
        return "owed " + id + " " + r.issuerId() + " " + r.reasonCode() + " " + r.amountMinor() + " " + r.currency()
                + (iccData == null ? "" : " " + HexFormat.of().withUpperCase().formatHex(iccData)) + "\n";
    }

    private void append(String line) {
        try {
            if (out == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            closeOut();
            throw new UncheckedIOException("writing owed reversals to " + file + " failed", e);
        }
    }

    private void closeOut() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // a new channel is opened at the next append
            }
            out = null;
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
