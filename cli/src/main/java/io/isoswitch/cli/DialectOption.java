package io.isoswitch.cli;

import io.isoswitch.codec.spec.Dialects;
import io.isoswitch.codec.spec.MessageSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What decode and encode share, as a picocli mixin: {@code --dialect NAME} (a mistyped name is a
 * usage error, not a stack trace), and their loop of one answer line per input line.
 */
final class DialectOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--dialect", defaultValue = "iso87binary",
            description = "Dialect: iso87binary, iso87ascii, iso93binary or cup-pos (default: ${DEFAULT-VALUE}).")
    private String name;

    MessageSpec resolve() {
        if (!Dialects.BUILT_IN.contains(name)) {
            throw new CommandLine.ParameterException(mixee.commandLine(),
                    "--dialect: expected one of " + String.join(", ", Dialects.BUILT_IN) + ", found '" + name + "'");
        }
        return Dialects.byName(name);
    }

    /**
     * Prints {@code answer} of every line of {@code in} that is not blank (stripped), flushing each
     * one so that a pipe sees it at once; blank lines are skipped. False when any answer was an
     * {@code {"error":...}} line (the command then exits 1).
     */
    static boolean eachLine(InputStream in, Charset charset, PrintWriter out, Function<String, String> answer) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset));
        boolean noError = true;
        String line;
        while ((line = reader.readLine()) != null) {
            String text = line.strip();
            if (!text.isEmpty()) {
                String answered = answer.apply(text);
                // decode and encode answer a line they cannot convert with {"error":...}; no frame or message starts so
                noError &= !answered.startsWith("{\"error\"");
                out.println(answered);
                out.flush();
            }
        }
        return noError;
    }
}
