package io.isoswitch.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a JUnit test that leaked a ByteBuf. Registered for every test through extension
 * auto-detection (surefire sets {@code junit.jupiter.extensions.autodetection.enabled}).
 */
public final class LeakCheckExtension implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        LeakRecorder.assertNoLeaks();
    }
}
