package io.isoswitch.settlement.clearing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file that appears whole or not at all: written to a temporary file beside its target, forced
 * to disk, then renamed over the target in one atomic move, and the directory forced so that the
 * rename itself survives a crash. {@link #close()} without {@link #commit()} deletes the
 * temporary file, leaving any earlier version of the target as it was.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final Writer writer;
    private boolean committed;

    AtomicFile(Path target) {
        this.target = target;
        try {
            Files.createDirectories(target.getParent());
            // A temporary file of its own (a new name, created exclusively): two writers of the same
            // target (two settle commands of one date) each write a whole file and the last rename
            // wins. With one shared name both wrote into one file at once and one renamed the mix.
            // (not Files.createTempFile: its files are private to their owner, and a report is read by others)
            this.temporary = target.resolveSibling("." + target.getFileName() + "."
                    + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
            this.channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for " + target, e);
        }
        this.writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.US_ASCII), 1 << 16);
    }

    /** Writes one line ending in LF (never the platform's line separator: files must be identical everywhere). */
    void line(String text) {
        try {
            writer.write(text);
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary, e);
        }
    }

    /** Makes the file durable and puts it in place of the target. */
    void commit() {
        try {
            writer.flush();
            channel.force(true);
            writer.close();
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + target + " in place", e);
        }
    }

    /** Makes the renames of the files committed in {@code directory} durable. */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force directory " + directory, e);
        }
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            // the temporary file goes anyway
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + temporary, e);
        }
    }
}
