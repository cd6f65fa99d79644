package io.isoswitch.cli;

import io.isoswitch.cli.logging.PanMasker;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What a failed command prints: one line with the message of each cause, not a stack trace, since
 * the messages (a typo in the configuration, a missing file, a port taken) are what a person acts
 * on; digit runs as long as a PAN are masked as in the logs. {@code ISO_SWITCH_STACK_TRACES=1}
 * prints the trace as well. Exits 1, as picocli does.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {
    static final String TRACES_VARIABLE = "ISO_SWITCH_STACK_TRACES";
    private static final String PORT_TAKEN = "Address already in use";

    private final boolean traces;

    ErrorReport(boolean traces) {
        this.traces = traces;
    }

    static ErrorReport fromEnvironment() {
        return new ErrorReport("1".equals(System.getenv(TRACES_VARIABLE)));
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println("iso-switch " + command.getCommandName() + ": " + describe(ex));
        if (traces) {
            ex.printStackTrace(err);
        } else {
            err.println("(" + TRACES_VARIABLE + "=1 shows the stack trace)");
        }
        err.flush();
        return 1;
    }

    /** The messages of {@code ex} and its causes, each once, joined; a taken port or a missing file gets a hint. */
    static String describe(Throwable ex) {
        List<String> parts = new ArrayList<>();
        boolean portTaken = false;
        String fileProblem = "";
        for (Throwable t = ex; t != null && parts.size() < 5; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            portTaken |= message.contains(PORT_TAKEN);
            // a missing or unreadable file's exception says only its name: say what is wrong with it
            if (fileProblem.isEmpty() && t instanceof java.nio.file.NoSuchFileException) {
                fileProblem = " (no such file)";
            } else if (fileProblem.isEmpty() && t instanceof java.nio.file.AccessDeniedException) {
                fileProblem = " (permission denied)";
            }
            if (parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        // the messages bypass the log layout's guard, so they get its masking here
        String text = PanMasker.mask(String.join(": ", parts)) + fileProblem;
        return portTaken ? text + " (a port is taken: is another iso-switch running? the demo takes --port-base 0)" : text;
    }
}
