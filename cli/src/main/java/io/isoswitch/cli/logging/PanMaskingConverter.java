package io.isoswitch.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * {@code %mask(...)} in a Logback pattern: masks PAN-looking digit runs in whatever the inner
 * pattern printed (message and exception text alike). See {@link PanMasker}.
 */
public final class PanMaskingConverter extends CompositeConverter<ILoggingEvent> {
    @Override
    protected String transform(ILoggingEvent event, String in) {
        return PanMasker.mask(in);
    }
}
