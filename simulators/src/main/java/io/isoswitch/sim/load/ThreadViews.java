package io.isoswitch.sim.load;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.spec.MessageSpec;

/**
 * One decoding view per thread and dialect. A view's layout tables take several KB to build from
 * the spec; a view per connection cost 10,000 of them for 10,000 connections, though a connection
 * uses its view only while it handles one answer on its event loop, which runs one at a time.
 */
final class ThreadViews {
    private static final ThreadLocal<IsoMessageView[]> VIEWS = ThreadLocal.withInitial(() -> new IsoMessageView[4]);

    private ThreadViews() {
    }

    /** This thread's view of {@code spec}; valid until the thread asks again. */
    static IsoMessageView of(MessageSpec spec) {
        IsoMessageView[] views = VIEWS.get();
        for (int i = 0; i < views.length; i++) {
            if (views[i] == null) {
                views[i] = new IsoMessageView(spec);
                return views[i];
            }
            if (views[i].spec() == spec) {
                return views[i];
            }
        }
        // more dialects on one thread than slots: rare enough to build one
        return new IsoMessageView(spec);
    }
}
