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
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iso-switch serve}: runs one switch node until it is stopped (Ctrl-C or SIGTERM stop it in order). */
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "iso-switch-stop"));
        System.out.println("iso-switch node " + switchConfig.nodeId() + " serving: terminal ports " + node.terminalPorts()
                + ", ops http://127.0.0.1:" + node.opsPort() + "/metrics  (Ctrl-C stops)");
        stopped.await();
        return 0;
    }
}
