package io.isoswitch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code iso-switch} command line. Each subcommand is its own class; standard output carries
 * only a command's answers, logs go to standard error.
 */
@Command(
        name = "iso-switch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An ISO 8583 payment switch and acquirer host, its simulators and tools.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DecodeCommand.class,
            EncodeCommand.class,
            KeysCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            LoadCommand.class,
            IssuerCommand.class,
            TerminalCommand.class,
            SettleCommand.class,
            CutoverCommand.class,
            AuditCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(ErrorReport.fromEnvironment()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
