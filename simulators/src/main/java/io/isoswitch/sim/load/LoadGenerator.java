package io.isoswitch.sim.load;

import io.isoswitch.codec.framing.Framing;
import io.isoswitch.codec.framing.FramingOptions;
import io.isoswitch.codec.net.Transport;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.terminal.CardData;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * The load generator: opens the plan's connections on a few event loops (never a thread per
 * terminal), signs each terminal on when the mix needs keys, then runs warm-up and measured
 * window in closed loop or at a fixed rate, printing a progress line every second, waits for the
 * last answers (or their timeouts), closes everything and reports. It stops by itself.
 */
public final class LoadGenerator {
    /** Connections opened at once; more would only fill the target's accept backlog. */
    private static final int CONNECT_BATCH = 500;
    private static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long DRAIN_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final LoadPlan plan;
    private final LoadWorld world;
    private final PrintStream progress;
    private final LoadStats stats = new LoadStats();
    private final Transport transport;
    /** The event loops' threads, for their CPU time; the process CPU and answers at the measured window's first and last progress line. */
    private final List<Thread> eventLoopThreads = new ArrayList<>();
    private long windowCpuFrom = -1;
    private long windowAnsweredFrom;
    private long windowCpuTo = -1;
    private long windowAnsweredTo;

    /** A generator on the transport the system property {@value Transport#PROPERTY} asks for (default: the best available). */
    public LoadGenerator(LoadPlan plan, LoadWorld world, PrintStream progress) {
        this(plan, world, progress, Transport.fromSystemProperty());
    }

    /**
     * A generator on {@code transport}, which must be available here. At a fixed rate each
     * connection sleeps until its next slot, a few hundred microseconds away at thousands a
     * second: Netty's NIO selector waits in whole milliseconds and polls without sleeping for a
     * timer under half of one (260-380 us of CPU a request at 5,000/s); epoll's timerfd and
     * io_uring's timeouts sleep to the nanosecond, so NIO is only the fallback.
     */
    public LoadGenerator(LoadPlan plan, LoadWorld world, PrintStream progress, Transport transport) {
        if (!transport.isAvailable()) {
            throw new IllegalArgumentException("transport " + transport.label() + " is not available here: "
                    + transport.unavailabilityCause());
        }
        this.plan = plan;
        this.world = world;
        this.progress = progress;
        this.transport = transport;
    }

    /** The transport the connections run on. */
    public Transport transport() {
        return transport;
    }

    /** The measured latency in microseconds (from due time), for tests and tools that want more than the report. */
    public Histogram latencyMicros() {
        return stats.latency();
    }

    /** Timers the connections set to send when due: at a fixed rate at most one per slot, plus one each to start. */
    long wakeUps() {
        return stats.wakeUps();
    }

    /** Runs the plan and reports; interrupted, it stops early and reports what it measured. */
    public LoadReport run() throws InterruptedException {
        List<LoadWorld.Terminal> terminals = world.terminalsOf(plan.dialect());
        if (terminals.isEmpty()) {
            throw new IllegalArgumentException("the load world has no terminal of dialect " + plan.dialect().specName());
        }
        if (plan.mix().needsSignOn() && plan.signOn() && plan.connections() > terminals.size()) {
            throw new IllegalArgumentException("card transactions need one terminal per connection: the world has "
                    + terminals.size() + " of dialect " + plan.dialect().specName() + ", " + plan.connections() + " asked;"
                    + " ask for at most " + terminals.size() + " connections, or use a world with more terminals"
                    + " (iso-switch demo --terminals-per-dialect " + plan.connections() + " writes one)");
        }
        List<CardData> cards = world.cards().stream().map(LoadWorld.Card::cardData).toList();
        if (plan.mix().needsSignOn() && cards.isEmpty()) {
            throw new IllegalArgumentException("card transactions need cards: the load world has none");
        }
        RequestTemplates.Shared templates = new RequestTemplates.Shared(cards, plan.amountMinor());
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        Map<String, SecureKey> tmks = new HashMap<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(plan.eventLoopThreads(), new DefaultThreadFactory("load"),
                transport.ioHandlerFactory());
        List<LoadConnection> connections = new ArrayList<>();
        long cpuBefore = processCpuNanos();
        try {
            for (EventExecutor loop : group) {
                eventLoopThreads.add(loop.submit(Thread::currentThread).syncUninterruptibly().getNow());
            }
            Framing framing = new Framing(plan.dialect().header(),
                    plan.dialect().isCup() ? FramingOptions.cupPos() : FramingOptions.plain());
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            List<ChannelFuture> batch = new ArrayList<>();
            for (int i = 0; i < plan.connections(); i++) {
                LoadWorld.Terminal terminal = terminals.get(i % terminals.size());
                SecureKey tmk = tmks.computeIfAbsent(terminal.id(), id -> hsm.formKey(KeyKind.TMK,
                        terminal.tmk().length() == 48 ? KeyAlgorithm.TDES_3KEY : KeyAlgorithm.TDES_2KEY,
                        List.of(HexFormat.of().parseHex(terminal.tmk()))));
                TerminalConfig config = TerminalConfig.of(plan.host(), plan.port(), plan.dialect(), terminal.id(),
                        world.merchantId(), world.currency(), hsm, tmk).withTimeout(plan.timeout());
                LoadConnection connection = new LoadConnection(config, plan, stats, templates, plan.seed() * 1_000_003L + i);
                batch.add(bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(framing.newDecoder(), framing.encoder(), connection);
                    }
                }).connect(plan.host(), plan.port()).addListener(f -> {
                    if (!f.isSuccess()) {
                        connection.connectFailed(f.cause());
                    }
                }));
                connections.add(connection);
                if (batch.size() == CONNECT_BATCH || i == plan.connections() - 1) {
                    awaitConnected(batch);
                    batch.clear();
                }
            }
            NotReady notReady = new NotReady();
            List<LoadConnection> ready = awaitReady(connections, notReady);
            if (ready.isEmpty()) {
                throw new IllegalStateException("no connection to " + plan.host() + ":" + plan.port()
                        + " became ready: " + notReady.describe(connections.size()));
            }
            if (notReady.count > 0 && progress != null) {
                progress.printf(Locale.ROOT, "terminals carrying no load: %s%n", notReady.describe(connections.size()));
            }
            LoadConnection.Schedule schedule = schedule(ready.size());
            for (int i = 0; i < ready.size(); i++) {
                ready.get(i).start(offset(schedule, i));
            }
            CompletableFuture<Void> drained = CompletableFuture.allOf(ready.stream().map(LoadConnection::drained)
                    .toArray(CompletableFuture[]::new));
            long endedNanos = showProgress(schedule, drained);
            awaitDrained(drained);
            return report(schedule, endedNanos, ready.size(), processCpuNanos() - cpuBefore);
        } finally {
            for (LoadConnection connection : connections) {
                connection.closeQuietly();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void awaitConnected(List<ChannelFuture> batch) {
        for (ChannelFuture future : batch) {
            // a failure is counted by the connection's listener
            future.awaitUninterruptibly();
        }
    }

    private List<LoadConnection> awaitReady(List<LoadConnection> connections, NotReady notReady)
            throws InterruptedException {
        List<LoadConnection> ready = new ArrayList<>();
        long deadline = System.nanoTime() + plan.timeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (LoadConnection connection : connections) {
            try {
                connection.ready().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ready.add(connection);
            } catch (ExecutionException e) {
                // counted by the connection (sign-on failed or connection lost); it carries no load
                notReady.add(e.getCause() == null ? e : e.getCause());
            } catch (TimeoutException e) {
                notReady.add(new TimeoutException("not signed on within " + plan.timeout().plusSeconds(5)));
            }
        }
        return ready;
    }

    /** The terminals that carry no load, and the first reason, so a refused sign-on says why. */
    private static final class NotReady {
        private int count;
        private String firstReason;

        void add(Throwable reason) {
            count++;
            if (firstReason == null) {
                String message = reason.getMessage();
                firstReason = message == null || message.isBlank() ? reason.getClass().getSimpleName() : message;
            }
        }

        String describe(int of) {
            return count + " of " + of + " failed; first: " + (firstReason == null ? "unknown" : firstReason);
        }
    }

    private LoadConnection.Schedule schedule(int readyConnections) {
        long start = System.nanoTime() + START_LEAD_NANOS;
        long measureFrom = start + plan.warmup().toNanos();
        long end = measureFrom + plan.duration().toNanos();
        long interval = plan.fixedRate() ? Math.max(1, readyConnections * 1_000_000_000L / plan.ratePerSecond()) : 0;
        return new LoadConnection.Schedule(start, measureFrom, end, interval, 0);
    }

    /** Connection {@code index} takes every n-th slot of the fixed-rate schedule, starting at slot {@code index}. */
    private LoadConnection.Schedule offset(LoadConnection.Schedule schedule, int index) {
        long offset = plan.fixedRate() ? index * 1_000_000_000L / plan.ratePerSecond() : 0;
        return new LoadConnection.Schedule(schedule.startNanos(), schedule.measureFromNanos(), schedule.endNanos(),
                schedule.intervalNanos(), offset);
    }

    /**
     * Prints a line a second until the measured window is over: at its end, or earlier when every
     * connection is drained (a budget of requests spent, or every connection lost); returns when
     * the window ended.
     */
    private long showProgress(LoadConnection.Schedule schedule, CompletableFuture<Void> drained) throws InterruptedException {
        Histogram interval = null;
        long lastAnswered = 0;
        long lastAt = System.nanoTime();
        long tick = schedule.startNanos();
        while (true) {
            tick += TimeUnit.SECONDS.toNanos(1);
            long wait = Math.min(tick, schedule.endNanos()) - System.nanoTime();
            if (wait > 0) {
                try {
                    drained.get(wait, TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the next progress line is due
                } catch (ExecutionException e) {
                    // connections complete their drained futures normally; nothing to report here
                }
            }
            long now = System.nanoTime();
            interval = stats.liveInterval(interval);
            long answered = stats.liveAnswered();
            if (now >= schedule.measureFromNanos()) {
                long cpu = processCpuNanos();
                if (windowCpuFrom < 0) {
                    windowCpuFrom = cpu;
                    windowAnsweredFrom = answered;
                } else {
                    windowCpuTo = cpu;
                    windowAnsweredTo = answered;
                }
            }
            if (progress != null) {
                double rate = (answered - lastAnswered) / Math.max(1e-9, (now - lastAt) / 1e9);
                progress.printf(Locale.ROOT, "%5.0fs %-7s %,10.0f/s  errors %,d  p99 %.3f ms%n",
                        (now - schedule.startNanos()) / 1e9, now < schedule.measureFromNanos() ? "warm-up" : "measure",
                        rate, stats.errorsSoFar(), interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1000.0);
                progress.flush();
            }
            lastAnswered = answered;
            lastAt = now;
            if (now >= schedule.endNanos() || drained.isDone()) {
                return Math.min(now, schedule.endNanos());
            }
        }
    }

    private void awaitDrained(CompletableFuture<Void> all) throws InterruptedException {
        // a request sent just before the end is answered or counted as a timeout within timeout + a
        // sweep; the sweeps end the drain by themselves, so this bound only ends a run whose event
        // loop is stuck, and is generous enough that a starved machine still counts every timeout
        long deadline = System.nanoTime() + plan.timeout().toNanos() * 2 + DRAIN_MARGIN_NANOS;
        try {
            all.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // what is still outstanding is not counted as answered; the report says how many were sent
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** CPU time of the event loops so far (while they run), in nanoseconds. */
    private long eventLoopCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread thread : eventLoopThreads) {
            sum += Math.max(0, threads.getThreadCpuTime(thread.threadId()));
        }
        return sum;
    }

    private LoadReport report(LoadConnection.Schedule schedule, long endedNanos, int readyConnections, long cpuNanos) {
        double seconds = Math.max(1e-9, (endedNanos - schedule.measureFromNanos()) / 1e9);
        if (plan.fixedRate()) {
            long due = 0;
            for (int i = 0; i < readyConnections; i++) {
                due += offset(schedule, i).slotsInWindow();
            }
            stats.error(LoadError.NOT_SENT, Math.max(0, due - stats.sent()));
        }
        long answered = stats.answered();
        String mode = plan.fixedRate() ? "fixed rate " + plan.ratePerSecond() + "/s" : "closed loop";
        return new LoadReport(plan.host() + ":" + plan.port(), plan.dialect().specName(), mode, readyConnections,
                plan.inFlightPerConnection(), plan.mix().toString(), plan.warmup().toMillis() / 1000.0, seconds,
                stats.sent(), answered, answered / seconds, LoadReport.Percentiles.of(stats.latency()),
                LoadReport.Percentiles.of(stats.serviceTime()), stats.byResponseCode(), stats.timeouts(), stats.errors(),
                stats.liveAnswered(), perAnswerMicros(cpuNanos, stats.liveAnswered()),
                perAnswerMicros(eventLoopCpuNanos(), stats.liveAnswered()),
                windowCpuTo < 0 ? 0 : perAnswerMicros(windowCpuTo - windowCpuFrom, windowAnsweredTo - windowAnsweredFrom));
    }

    private static double perAnswerMicros(long cpuNanos, long answers) {
        return answers <= 0 ? 0 : cpuNanos / 1000.0 / answers;
    }
}
