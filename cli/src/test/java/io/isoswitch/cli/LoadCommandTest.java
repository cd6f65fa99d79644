package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.isoswitch.cli.demo.DemoWorld;
import io.isoswitch.core.node.SwitchNode;
import io.isoswitch.sim.load.LoadWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iso-switch load} against the demo's switch and banks, with the world file the demo writes. */
class LoadCommandTest {
    /**
     * The runs below end after a number of requests, so that the measured window has answers
     * however slowly the machine gets through the warm-up; this bound only ends a run that cannot.
     */
    private static final String RUN_BOUND_SECONDS = "60";

    @TempDir
    Path dir;

    @Test
    void aMixedLoadThroughTheSwitchIsApprovedAndReportedAsJson() throws Exception {
        try (DemoWorld world = DemoWorld.create(dir, 0, 2, 4);
             SwitchNode node = SwitchNode.start(world.config(), world.switchHsm(), Clock.systemUTC())) {
            world.banks().forEach(bank -> await().atMost(Duration.ofSeconds(30)).until(() -> node.issuerLinks().isUp(bank.id())));
            Path worldFile = dir.resolve("load-world.yaml");
            world.loadWorld().write(worldFile);
            Path json = dir.resolve("report.json");

            String out = run("load", "--target", "127.0.0.1:" + node.terminalPorts().get(0), "--dialect", "iso87binary",
                    "--terminals", "2", "--warmup", "0.5", "--duration", RUN_BOUND_SECONDS, "--requests", "40",
                    "--mix", "purchase=80,balance=20",
                    "--world", worldFile.toString(), "--json", json.toString(), "--stan-start", "1");

            assertThat(out).contains("answered").containsPattern("response codes:\\s+00 [\\d,]+").contains(" 40 sent,");
            String report = Files.readString(json);
            assertThat(report).contains("\"00\"").contains("\"timeouts\" : 0").contains("\"CONNECTION_LOST\" : 0")
                    .contains("\"SIGN_ON_FAILED\" : 0");
        }
    }

    @Test
    void anEchoLoadNeedsNoWorldFile() throws Exception {
        try (DemoWorld world = DemoWorld.create(dir, 0, 1, 1);
             SwitchNode node = SwitchNode.start(world.config(), world.switchHsm(), Clock.systemUTC())) {
            String out = run("load", "--target", "127.0.0.1:" + node.terminalPorts().get(0), "--terminals", "3",
                    "--warmup", "0", "--duration", RUN_BOUND_SECONDS, "--requests", "30", "--mix", "echo=1", "--terminal-id", "DEMO0001",
                    "--world", dir.resolve("none.yaml").toString());

            assertThat(out).containsPattern("response codes:\\s+00 [\\d,]+").contains("timeouts 0");
        }
    }

    @Test
    void aRefusedSignOnSaysWhy() throws Exception {
        try (DemoWorld world = DemoWorld.create(dir, 0, 1, 1);
             SwitchNode node = SwitchNode.start(world.config(), world.switchHsm(), Clock.systemUTC())) {
            LoadWorld demo = world.loadWorld();
            LoadWorld.Terminal known = demo.terminals().get(0);
            LoadWorld stranger = new LoadWorld(demo.merchantId(), demo.currency(),
                    List.of(new LoadWorld.Terminal("NOPE0001", known.dialect(), known.tmk())), demo.cards());
            Path worldFile = dir.resolve("stranger.yaml");
            stranger.write(worldFile);

            CommandRun run = CommandRun.ofMain("load", "--target", "127.0.0.1:" + node.terminalPorts().get(0),
                    "--dialect", "iso87binary", "--terminals", "1", "--warmup", "0", "--duration", RUN_BOUND_SECONDS,
                    "--requests", "5", "--mix", "purchase=1", "--world", worldFile.toString());

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).contains("became ready: 1 of 1 failed; first: sign-on of NOPE0001 failed")
                    .containsPattern("answered \\d\\d");
        }
    }

    private static String run(String... args) {
        CommandRun run = CommandRun.ofMain(args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out();
    }
}
