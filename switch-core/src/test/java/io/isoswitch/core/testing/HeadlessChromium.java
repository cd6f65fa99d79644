package io.isoswitch.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own
 * WebSocket client: no driver binary, no browser download. Collects console errors, uncaught
 * exceptions and every URL the page requests. A missing {@code chromium} is a test failure, not a
 * skip: CI installs it ({@code .ci/run}).
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> requestedUrls = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The browser binary: {@code $CHROMIUM}, else Debian's {@code /usr/bin/chromium}. */
    public static Path executable() {
        String configured = System.getenv("CHROMIUM");
        for (String candidate : configured == null ? List.of("/usr/bin/chromium", "/usr/bin/chromium-browser") : List.of(configured)) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new AssertionError("headless Chromium is required for the dashboard test and was not found: "
                + "apt-get install -y chromium (.ci/run does this)");
    }

    /** Starts Chromium with a fresh profile in {@code userDataDir} and attaches to its blank page. */
    public static HeadlessChromium start(Path userDataDir) throws IOException, InterruptedException {
        // flags per the machine notes: without the background-networking ones Chromium tries to reach Google's hosts
        Process process = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--user-data-dir=" + userDataDir, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,1100", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<String> endpoint = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> readStderr(process, endpoint));
            String browserUrl = endpoint.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newHttpClient();
            String pages = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String pageUrl = null;
            for (JsonNode target : JSON.readTree(pages)) {
                if ("page".equals(target.path("type").asString())) {
                    pageUrl = target.path("webSocketDebuggerUrl").asString();
                    break;
                }
            }
            if (pageUrl == null) {
                throw new IOException("Chromium offered no page target: " + pages);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), listener).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, socket);
            listener.owner = chromium;
            chromium.call("Runtime.enable", Map.of());
            chromium.call("Log.enable", Map.of());
            chromium.call("Network.enable", Map.of());
            chromium.call("Page.enable", Map.of());
            return chromium;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            throw new IOException("Chromium did not start: " + e, e);
        }
    }

    private static void readStderr(Process process, CompletableFuture<String> endpoint) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = DEVTOOLS.matcher(line);
                if (m.find()) {
                    endpoint.complete(m.group(1));
                }
            }
            endpoint.completeExceptionally(new IOException("Chromium exited before it listened for DevTools"));
        } catch (IOException e) {
            endpoint.completeExceptionally(e);
        }
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonNode call(String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        calls.put(id, result);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).join();
        try {
            return result.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " failed: " + e, e);
        }
    }

    public void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page, as text. */
    public String evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return result.path("result").path("value").asString();
    }

    /** Writes a PNG of the page to {@code file}. */
    public void screenshot(Path file) {
        String png = call("Page.captureScreenshot", Map.of("format", "png")).path("data").asString();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Console errors, uncaught exceptions and error log entries seen so far. */
    public List<String> errors() {
        return new ArrayList<>(errors);
    }

    /** Every URL the page requested. */
    public List<String> requestedUrls() {
        return new ArrayList<>(requestedUrls);
    }

    private void received(String text) {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> call = calls.remove(message.get("id").asLong());
            if (call != null) {
                if (message.has("error")) {
                    call.completeExceptionally(new IllegalStateException(message.get("error").toString()));
                } else {
                    call.complete(message.path("result"));
                }
            }
            return;
        }
        String method = message.path("method").asString();
        JsonNode params = message.path("params");
        switch (method) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails").toString());
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asString();
                if (type.equals("error") || type.equals("assert")) {
                    errors.add("console." + type + ": " + params.path("args").toString());
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(params.path("entry").path("level").asString())) {
                    errors.add("log: " + params.path("entry").toString());
                }
            }
            case "Network.requestWillBeSent" -> requestedUrls.add(params.path("request").path("url").asString());
            default -> { }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Reassembles DevTools messages split over several WebSocket frames. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                // nothing arrives before the first command, which is sent after owner is set
                if (owner != null) {
                    owner.received(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
