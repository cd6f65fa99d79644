package io.isoswitch.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON object per line, for log shippers: {@code time} (ISO-8601, UTC), {@code level},
 * {@code logger}, {@code thread}, {@code message}, and {@code exception} when there is one. The
 * message and the exception text go through {@link PanMasker} like the text layout's.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        line.put("message", PanMasker.mask(event.getFormattedMessage()));
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.put("exception", PanMasker.mask(ThrowableProxyUtil.asString(thrown)));
        }
        if (!event.getMDCPropertyMap().isEmpty()) {
            Map<String, String> mdc = new LinkedHashMap<>();
            event.getMDCPropertyMap().forEach((k, v) -> mdc.put(k, PanMasker.mask(v)));
            line.put("mdc", mdc);
        }
        return JSON.writeValueAsString(line) + CoreConstants.LINE_SEPARATOR;
    }

    @Override
    public String getContentType() {
        return "application/json";
    }
}
