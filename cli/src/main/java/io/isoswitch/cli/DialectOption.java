package io.isoswitch.cli;

import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --dialect NAME} of decode and encode: a mistyped name is a usage error, not a stack trace. */
final class DialectOption {
    private DialectOption() {
    }

    static MessageSpec resolve(CommandSpec spec, String name) {
        if (!Dialects.BUILT_IN.contains(name)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--dialect: expected one of " + String.join(", ", Dialects.BUILT_IN) + ", found '" + name + "'");
        }
        return Dialects.byName(name);
    }
}
