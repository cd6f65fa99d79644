package io.isoswitch.cli.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import java.util.Locale;

/**
 * The layout of the shipped logback.xml: {@code format} {@code text} (the {@code pattern}, which
 * wraps message and exception in {@code %mask}) or {@code json} ({@link JsonLogLayout}). One
 * appender with a switchable layout, rather than two appenders of which one is unused, keeps
 * Logback from printing configuration warnings at every start.
 */
public final class SwitchLogLayout extends LayoutBase<ILoggingEvent> {
    private String format = "text";
    private String pattern;
    private Layout<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        switch (format) {
            case "json" -> delegate = new JsonLogLayout();
            case "text" -> {
                if (pattern == null || !pattern.contains("%mask(")) {
                    addError("the text log pattern must wrap message and exception in %mask(...), found: " + pattern);
                    return;
                }
                PatternLayout text = new PatternLayout();
                text.setPattern(pattern);
                delegate = text;
            }
            default -> {
                addError("log format " + format + ": expected text or json");
                return;
            }
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return delegate.doLayout(event);
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }
}
