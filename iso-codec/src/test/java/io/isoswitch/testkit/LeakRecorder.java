package io.isoswitch.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns Netty's leak detector from a logger into an assertion. Netty only logs a leak when a
 * leaked buffer is collected; this factory records every report so that {@link #assertNoLeaks()}
 * can fail the test that leaked. It must be installed before the first {@code ByteBuf} class is
 * loaded, which {@link NettyLeakSessionListener} does at the start of the test run.
 */
public final class LeakRecorder {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    /**
     * Buffers tracked since the last full check and not yet released. Each tracker counts in the
     * adder that was current when it was made, so a check can start a new count without a race.
     */
    private static final AtomicReference<LongAdder> OPEN_SINCE_CHECK = new AtomicReference<>(new LongAdder());
    private static final int GC_ROUNDS = 3;
    private static final long PAUSE_BETWEEN_ROUNDS_MS = 5;
    private static volatile boolean installed;

    private LeakRecorder() {
    }

    /** Installs the recording factory once; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        installed = true;
    }

    /**
     * Collects garbage, lets the detector poll its reference queue, and fails with every leak that
     * was reported since the last call.
     */
    public static void assertNoLeaks() {
        if (!installed) {
            return;
        }
        for (int round = 0; round < GC_ROUNDS; round++) {
            System.gc();
            pause();
            // an allocation with the detector on is what makes it look at collected buffers
            ByteBuf probe = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
            probe = io.netty.buffer.PooledByteBufAllocator.DEFAULT.heapBuffer(1);
            probe.release();
        }
        OPEN_SINCE_CHECK.set(new LongAdder());
        List<String> found = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            found.add(leak);
        }
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " ByteBuf leak(s) detected:\n" + String.join("\n---\n", found));
        }
    }

    /**
     * {@link #assertNoLeaks()}, unless every buffer tracked since the last check has been released
     * and no leak is waiting to be reported: then nothing made since could have leaked. A full
     * check costs three full collections, which late in a module's run take a few hundred
     * milliseconds; most tests release all they allocate. A buffer made before the last check
     * that becomes garbage without release is still reported, by the next full check (a later
     * test that leaves a buffer open, or the end of the class).
     */
    public static void assertNoLeaksIfAnyBufferIsOpen() {
        if (installed && OPEN_SINCE_CHECK.get().sum() == 0 && LEAKS.isEmpty()) {
            return;
        }
        assertNoLeaks();
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_BETWEEN_ROUNDS_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        // Netty still declares this deprecated overload abstract, so it must be implemented.
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        public ResourceLeakTracker<T> track(T obj) {
            return counted(super.track(obj));
        }

        @Override
        public ResourceLeakTracker<T> trackForcibly(T obj) {
            return counted(super.trackForcibly(obj));
        }

        private static <T> ResourceLeakTracker<T> counted(ResourceLeakTracker<T> tracker) {
            return tracker == null ? null : new CountedTracker<>(tracker, OPEN_SINCE_CHECK.get());
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no records)");
        }
    }

    /** Netty's tracker, counted as open from its creation until the buffer is released. */
    private static final class CountedTracker<T> implements ResourceLeakTracker<T> {
        private final ResourceLeakTracker<T> tracker;
        private final LongAdder open;

        CountedTracker(ResourceLeakTracker<T> tracker, LongAdder open) {
            this.tracker = tracker;
            this.open = open;
            open.increment();
        }

        @Override
        public void record() {
            tracker.record();
        }

        @Override
        public void record(Object hint) {
            tracker.record(hint);
        }

        @Override
        public boolean close(T trackedObject) {
            boolean closed = tracker.close(trackedObject);
            if (closed) {
                open.decrement();
            }
            return closed;
        }

        @Override
        public Throwable getCloseStackTraceIfAny() {
            return tracker.getCloseStackTraceIfAny();
        }
    }
}
