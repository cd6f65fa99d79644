package io.isoswitch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ErrorReportTest {
    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final Exception failure;

        Failing(Exception failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            throw failure;
        }
    }

    private static String run(Exception failure, boolean traces, int[] exit) {
        StringWriter err = new StringWriter();
        exit[0] = new CommandLine(new Failing(failure)).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler(new ErrorReport(traces)).execute();
        return err.toString();
    }

    @Test
    void aFailureIsOneLineOfItsCausesMessagesSayingAFileIsMissingAndExitCodeOne() {
        int[] exit = new int[1];
        String err = run(new IllegalStateException("cannot read configuration file nope.yaml: nope.yaml",
                new NoSuchFileException("nope.yaml")), false, exit);

        assertThat(exit[0]).isEqualTo(1);
        // NoSuchFileException's message is only the file's name: the line says what is wrong with it
        assertThat(err).startsWith("iso-switch failing: cannot read configuration file nope.yaml: nope.yaml (no such file)\n")
                .doesNotContain("\tat ").contains(ErrorReport.TRACES_VARIABLE);
    }

    @Test
    void aTakenPortGetsAHintAndTracesComeOnRequest() {
        int[] exit = new int[1];
        String err = run(new IllegalStateException("listener failed", new BindException("Address already in use")), true,
                exit);

        assertThat(exit[0]).isEqualTo(1);
        assertThat(err).contains("listener failed: Address already in use (a port is taken").contains("\tat ");
    }

    @Test
    void aPanInAMessageIsMaskedAsInTheLogs() {
        int[] exit = new int[1];
        String err = run(new IllegalArgumentException("card 4761739001010119 is not in the card file"), false, exit);

        assertThat(err).contains("card 476173******0119 is not").doesNotContain("4761739001010119");
    }
}
