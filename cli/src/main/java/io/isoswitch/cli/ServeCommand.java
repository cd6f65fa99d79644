package io.isoswitch.cli;

import io.isoswitch.core.config.SwitchConfig;
import io.isoswitch.core.config.SwitchConfigLoader;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SoftwareHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iso-switch serve}: runs one switch node until it is stopped. Ctrl-C, SIGTERM and
 * {@code POST /ops/drain} drain it first (no new connections or requests, in-flight requests
 * answered, connections closed, bounded by {@code ops.drainTimeoutMs}), then stop it in order.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the switch: terminal ports, issuer links, journal, ops HTTP port.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (every key has a default).")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        SwitchConfig switchConfig = SwitchConfigLoader.load(config);
        Path lmkFile = Path.of(switchConfig.security().lmkFile());
        if (!Files.exists(lmkFile) && System.getenv(LocalMasterKey.VALUE_VARIABLE) == null) {
            System.err.println("iso-switch: no local master key at " + lmkFile
                    + "; create one with: ./iso-switch keys init --lmk " + lmkFile);
            return 2;
        }
        LocalMasterKey lmk = LocalMasterKey.locate(lmkFile, System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        SwitchNode node = SwitchNode.start(switchConfig, new SoftwareHsm(lmk), Clock.systemUTC());
        Duration drainTimeout = Duration.ofMillis(switchConfig.ops().drainTimeoutMs());
        AtomicBoolean closing = new AtomicBoolean();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // the shutdown hook and the main thread (after POST /ops/drain) may both get here: one
        // closes, the other waits for it, so the JVM never halts halfway through the close
        Runnable stop = () -> {
            if (closing.compareAndSet(false, true)) {
                try {
                    node.close();
                    System.out.println("iso-switch node " + switchConfig.nodeId() + " stopped");
                    System.out.flush();
                } finally {
                    closed.complete(null);
                }
            }
            closed.join();
        };
        // SIGTERM or Ctrl-C: drain (answer what is in flight), then stop in order
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.drain(drainTimeout);
            stop.run();
        }, "iso-switch-stop"));
        // POST /ops/drain: once drained, the process exits by itself
        node.drained().thenRun(stopped::countDown);
        System.out.println("iso-switch node " + switchConfig.nodeId() + " serving: terminal ports " + node.terminalPorts()
                + ", ops http://127.0.0.1:" + node.opsPort() + "/  (Ctrl-C or SIGTERM drains and stops)");
        System.out.flush();
        stopped.await();
        stop.run();
        return 0;
    }
}
