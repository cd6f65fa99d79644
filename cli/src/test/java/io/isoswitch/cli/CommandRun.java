package io.isoswitch.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * What one command run printed and returned, for the cli's tests: a picocli command run with its
 * own writers, or {@link Main#run} (which prints to the process's standard streams) with
 * {@code System.out} and {@code System.err} captured for the run.
 */
record CommandRun(int exitCode, String out, String err) {

    /** Runs {@code command} (a picocli command object) with {@code args}. */
    static CommandRun of(Object command, String... args) {
        return of(new CommandLine(command), args);
    }

    /** Runs a configured {@code commandLine} with {@code args}. */
    static CommandRun of(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** Runs {@code iso-switch args} as {@link Main} does; the standard streams are restored afterwards. */
    static CommandRun ofMain(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        int exit;
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            exit = Main.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
