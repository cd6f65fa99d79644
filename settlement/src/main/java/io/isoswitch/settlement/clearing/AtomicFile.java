package io.isoswitch.settlement.clearing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file that appears whole or not at all: written to a temporary file beside its target, forced
 * to disk, then renamed over the target in one atomic move, and the directory forced so that the
 * rename itself survives a crash. {@link #close()} without {@link #commit()} deletes the
 * temporary file, leaving any earlier version of the target as it was. A process killed while
 * writing leaves its temporary file behind ({@code .<target name>.<16 hex digits>.tmp}, hidden);
 * {@link #removeStaleTemporaries} removes those of a directory.
 */
final class AtomicFile implements AutoCloseable {
    /**
     * How long a temporary file must have been left unchanged to count as a dead writer's: a live
     * writer streams rows into it and flushes every 64 KB, so it is never untouched for long.
     */
    static final Duration STALE_TEMPORARY_AGE = Duration.ofHours(1);
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.tmp");
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

    /**
     * Deletes the temporary files of this class's writers in {@code directory} last modified
     * before {@code modifiedBefore} (left by a process killed while writing); returns them. A
     * younger one may be a live writer's (two settle commands of one date) and is left alone, as
     * is every file of another name. Nothing when the directory does not exist.
     */
    static List<Path> removeStaleTemporaries(Path directory, Instant modifiedBefore) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
                p -> TEMPORARY.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(modifiedBefore)
                        && Files.deleteIfExists(file)) {
                    removed.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale temporary files in " + directory, e);
        }
        return removed;
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
