package io.isoswitch.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a JUnit test that leaked a ByteBuf. Registered for every test through extension
 * auto-detection (surefire sets {@code junit.jupiter.extensions.autodetection.enabled}).
 *
 * <p>After each test the check runs when a buffer made since the last check is still unreleased;
 * after each class it always runs, so a buffer made earlier that became garbage during a test
 * still fails its class.
 */
public final class LeakCheckExtension implements AfterEachCallback, AfterAllCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        LeakRecorder.assertNoLeaksIfAnyBufferIsOpen();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LeakRecorder.assertNoLeaks();
    }
}
