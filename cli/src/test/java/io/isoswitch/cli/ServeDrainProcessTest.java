package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iso-switch serve} as a real child process: SIGTERM drains it (the open terminal
 * connection is closed by the drain, the log says so) before it exits; {@code POST /ops/drain}
 * makes it drain and exit by itself with status 0.
 */
class ServeDrainProcessTest {
    private static final Pattern SERVING = Pattern.compile("terminal ports \\[(\\d+)], ops http://127\\.0\\.0\\.1:(\\d+)/");
    private static final String TOKEN = "drain-test-token";
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path dir;
    private Process process;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();
    private CompletableFuture<Void> outEnded;
    private CompletableFuture<Void> errEnded;
    private int terminalPort;
    private int opsPort;

    @BeforeEach
    void serve() throws Exception {
        assertThat(Main.run("keys", "init", "--lmk", dir.resolve("data/lmk.key").toString())).isZero();
        Path config = dir.resolve("switch.yaml");
        Files.writeString(config, """
                nodeId: drain-1
                listeners:
                  - {dialect: iso87binary, host: 127.0.0.1, port: 0}
                ops: {host: 127.0.0.1, port: 0, token: %s, drainTimeoutMs: 10000}
                """.formatted(TOKEN));
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classpath,
                "io.isoswitch.cli.Main", "serve", "--config", config.toString()).directory(dir.toFile());
        builder.environment().put("ISO_SWITCH_LOG_LEVEL", "INFO");
        process = builder.start();
        CompletableFuture<Matcher> serving = new CompletableFuture<>();
        outEnded = collect(process.getInputStream(), out, serving);
        errEnded = collect(process.getErrorStream(), err, null);
        Matcher ports = serving.get(WAIT_SECONDS, TimeUnit.SECONDS);
        terminalPort = Integer.parseInt(ports.group(1));
        opsPort = Integer.parseInt(ports.group(2));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code stream} into {@code lines} until it ends; the future completes then. */
    private static CompletableFuture<Void> collect(InputStream stream, List<String> lines, CompletableFuture<Matcher> serving) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    Matcher m = SERVING.matcher(line);
                    if (serving != null && m.find()) {
                        serving.complete(m);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
            if (serving != null) {
                serving.completeExceptionally(new AssertionError("serve ended before it was serving: " + lines));
            }
            ended.complete(null);
        });
        return ended;
    }

    /** Waits for the process's exit and for everything it printed. */
    private void awaitExit() throws Exception {
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(outEnded, errEnded).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return !socket.isConnected();
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void sigtermDrainsThenExits() throws Exception {
        try (Socket terminal = new Socket("127.0.0.1", terminalPort)) {
            terminal.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            // kill(1), not Process.destroy(): destroy() also closes the pipes, and the drain's log would be lost
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor()).isZero();

            // the drain closes the idle terminal connection from the switch's side
            assertThat(terminal.getInputStream().read()).isEqualTo(-1);
            awaitExit();
        }
        assertThat(process.exitValue()).isEqualTo(128 + 15);
        assertThat(String.join("\n", err)).contains("draining:").contains("drained in");
        assertThat(out).anyMatch(line -> line.contains("iso-switch node drain-1 stopped"));
        assertThat(refused(terminalPort)).isTrue();
    }

    @Test
    void postOpsDrainDrainsThenExitsWithStatusZero() throws Exception {
        try (Socket terminal = new Socket("127.0.0.1", terminalPort)) {
            terminal.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/ops/drain"))
                            .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);

            assertThat(terminal.getInputStream().read()).isEqualTo(-1);
            awaitExit();
        }
        assertThat(process.exitValue()).isZero();
        assertThat(String.join("\n", err)).contains("drained in");
        assertThat(out).anyMatch(line -> line.contains("iso-switch node drain-1 stopped"));
    }
}
