package io.isoswitch.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as whole seconds ({@code 30}, the form {@code demo} and {@code load} take) or as
 * ISO-8601 ({@code PT30S}, {@code PT0.5S}), so one habit works across the commands.
 */
final class SecondsOrIsoDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String text = value.strip();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException tooLong) {
                throw new TypeConversionException("'" + value + "' is too many seconds");
            }
        }
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return duration;
        } catch (DateTimeParseException notIso) {
            throw new TypeConversionException("'" + value + "' is neither whole seconds (30) nor ISO-8601 (PT30S)");
        }
    }
}
