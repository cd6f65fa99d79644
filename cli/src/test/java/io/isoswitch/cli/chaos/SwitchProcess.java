package io.isoswitch.cli.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One switch node as its own operating-system process: {@code iso-switch serve --config FILE}
 * run by this JDK's java on the test class path, killed with SIGKILL ({@link Process#destroyForcibly()})
 * and started again as often as a test likes. Its terminal ports are read from the line it prints
 * once serving (it binds free ports, so each start may get others); logs go to a file per node.
 */
final class SwitchProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving: terminal ports \\[([0-9, ]+)\\]");
    private static final long START_LIMIT_SECONDS = 120;

    private final String name;
    private final Path config;
    private final Path log;
    private Process process;
    private volatile CompletableFuture<int[]> port = new CompletableFuture<>();
    private int starts;
    private int kills;
    /** When each start began serving, for the report of what terminals met right after a restart. */
    private final List<java.time.Instant> servingSince = new java.util.concurrent.CopyOnWriteArrayList<>();

    SwitchProcess(String name, Path config, Path log) {
        this.name = name;
        this.config = config;
        this.log = log;
    }

    /** Starts the process and returns once it serves; its terminal ports, in the configuration's order. */
    synchronized int[] start() {
        CompletableFuture<int[]> serving = port.isDone() ? new CompletableFuture<>() : port;
        port = serving;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.isoswitch.cli.Main", "serve", "--config", config.toString()));
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        starts++;
        Process started = process;
        Thread.ofVirtual().name(name + "-stdout").start(() -> readOutput(started, serving));
        return serving.orTimeout(START_LIMIT_SECONDS, TimeUnit.SECONDS).join();
    }

    private void readOutput(Process started, CompletableFuture<int[]> serving) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    servingSince.add(java.time.Instant.now());
                    serving.complete(java.util.Arrays.stream(m.group(1).split(",")).map(String::strip)
                            .mapToInt(Integer::parseInt).toArray());
                }
            }
        } catch (IOException e) {
            // the process died; whoever waits learns it below
        }
        if (!serving.isDone()) {
            int exit;
            try {
                exit = started.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit = -1;
            }
            serving.completeExceptionally(new IllegalStateException(name + " exited before serving (exit " + exit + "); see " + log));
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or signed off. */
    synchronized void kill() {
        // terminals wait for the next start from now on, rather than redial a port about to close
        port = new CompletableFuture<>();
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            kills++;
        }
    }

    /** Terminal port {@code listener} once the current start serves (waits for a restart in progress). */
    int awaitPort(int listener) {
        return port.orTimeout(START_LIMIT_SECONDS, TimeUnit.SECONDS).join()[listener];
    }

    /** Terminal port {@code listener} if serving now. */
    java.util.OptionalInt portNow(int listener) {
        CompletableFuture<int[]> current = port;
        return current.isDone() && !current.isCompletedExceptionally() ? java.util.OptionalInt.of(current.join()[listener])
                : java.util.OptionalInt.empty();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int kills() {
        return kills;
    }

    int starts() {
        return starts;
    }

    String name() {
        return name;
    }

    /** When each start began serving, in order. */
    List<java.time.Instant> servingSince() {
        return List.copyOf(servingSince);
    }

    /** The node's log file (all its starts). */
    Path log() {
        return log;
    }

    /** Stops for good, with SIGTERM first (an orderly stop), then SIGKILL if it lingers. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
