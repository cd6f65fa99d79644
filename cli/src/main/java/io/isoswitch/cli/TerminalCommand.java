package io.isoswitch.cli;

import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import io.isoswitch.sim.card.CardCsv;
import io.isoswitch.sim.card.IssuedCard;
import io.isoswitch.sim.terminal.PosTerminal;
import io.isoswitch.sim.terminal.ScriptRunner;
import io.isoswitch.sim.terminal.ScriptStep;
import io.isoswitch.sim.terminal.StanSequence;
import io.isoswitch.sim.terminal.TerminalConfig;
import io.isoswitch.sim.terminal.TerminalDialect;
import io.isoswitch.sim.terminal.TerminalOperation;
import io.isoswitch.sim.terminal.TransactionScript;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iso-switch terminal}: one simulated POS terminal against a switch. It signs on, then runs
 * one transaction ({@code --op}) or a YAML script ({@code --script}), printing one line per step
 * with the card masked. Exits 1 when a step's {@code expect} was not met, or with {@code --op} when the sign-on
 * (or {@code --download-params}) was not answered 00; the {@code --op}'s own answer does not change the exit code.
 */
@Command(
        name = "terminal",
        mixinStandardHelpOptions = true,
        description = "Run a simulated POS terminal: one transaction, or a scripted sequence, against a switch.")
public final class TerminalCommand implements Callable<Integer> {
    /** The published test TMK of demos and tests (clear, double-length TDES): protects nothing real. */
    static final String TEST_TMK = "89ABCDEF0123456776543210FEDCBA98";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The switch's address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8583", description = "The switch's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dialect", defaultValue = "iso87binary",
            description = "iso87binary, iso87ascii or cup-pos (default: ${DEFAULT-VALUE}).")
    String dialect;

    @Option(names = "--terminal-id", defaultValue = "TERM0001", description = "Field 41 (default: ${DEFAULT-VALUE}).")
    String terminalId;

    @Option(names = "--merchant-id", defaultValue = "MERCHANT0000001", description = "Field 42 (default: ${DEFAULT-VALUE}).")
    String merchantId;

    @Option(names = "--currency", defaultValue = "978", description = "The terminal's currency (default: ${DEFAULT-VALUE}).")
    int currency;

    @Option(names = "--tmk", defaultValue = TEST_TMK,
            description = "Clear TMK, 32 hex digits (default: the published test key).")
    String tmk;

    @Option(names = "--timeout", defaultValue = "PT30S", description = "Wait for an answer before reversing (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cards", paramLabel = "FILE", description = "Card file the script's #N cards come from.")
    Path cards;

    @Option(names = "--script", paramLabel = "FILE", description = "YAML script of steps (see docs/simulators.md).")
    Path script;

    @Option(names = "--op", description = "One operation: echo, purchase, refund, pre-auth, balance, settle.")
    String op;

    @Option(names = "--card", description = "#N (in --cards) or a PAN, for --op.")
    String card;

    @Option(names = "--amount", defaultValue = "0", description = "Amount in minor units, for --op.")
    long amount;

    @Option(names = "--stan", description = "First STAN of this run, 1..999999 (default: from the time of day, so that "
            + "runs on the same day do not reuse a STAN, which the switch declines 94).")
    Integer stan;

    @Option(names = "--pin", defaultValue = "", description = "PIN to enter, for --op (default: the card file's; 'none' for none).")
    String pin;

    @Option(names = "--download-params", description = "After sign-on, make the UnionPay start-up downloads (parameters, "
            + "CA public keys, AIDs; cup-pos only), as an EMV terminal does before it reads a chip.")
    boolean downloadParams;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TransactionScript steps = steps();
        int firstStan = stan != null ? stan : RunStans.firstAt(Instant.now());
        if (firstStan < 1 || firstStan > StanSequence.MAX_STAN) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stan: expected 1..999999, found " + firstStan);
        }
        SoftwareHsm hsm = new SoftwareHsm(LocalMasterKey.generate(new SecureRandom()));
        List<byte[]> components = new ArrayList<>();
        try {
            components.add(HexFormat.of().parseHex(tmk));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tmk: expected 32 hex digits");
        }
        SecureKey terminalMasterKey = hsm.formKey(KeyKind.TMK, KeyAlgorithm.TDES_2KEY, components);
        TerminalConfig config = new TerminalConfig(host, port, TerminalDialect.named(dialect), terminalId, merchantId,
                currency, hsm, terminalMasterKey, timeout, TerminalConfig.DEFAULT_REVERSAL_ATTEMPTS, Clock.systemUTC());
        out.printf("terminal %s (%s) -> %s:%d, TMK kcv %s%n", terminalId, dialect, host, port, terminalMasterKey.kcv());
        out.flush();
        try (PosTerminal terminal = PosTerminal.connect(config, firstStan)) {
            List<ScriptRunner.StepOutcome> outcomes = new ScriptRunner(terminal, loadCards()).run(steps, line -> {
                out.println(line);
                out.flush();
            });
            return outcomes.stream().allMatch(ScriptRunner.StepOutcome::asExpected) ? 0 : 1;
        }
    }

    /** The script, or sign-on followed by the one --op. */
    private TransactionScript steps() {
        if (downloadParams && !TerminalDialect.named(dialect).isCup()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--download-params: only for --dialect cup-pos");
        }
        if (downloadParams && script != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--download-params goes with --op; a script names the step itself (- op: download-params)");
        }
        if ((script == null) == (op == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --script FILE or --op OP");
        }
        if (script != null) {
            try (Reader in = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
                return TransactionScript.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read script " + script, e);
            }
        }
        TerminalOperation operation = switch (op) {
            case "echo" -> TerminalOperation.ECHO;
            case "purchase" -> TerminalOperation.PURCHASE;
            case "refund" -> TerminalOperation.REFUND;
            case "pre-auth" -> TerminalOperation.PRE_AUTH;
            case "balance" -> TerminalOperation.BALANCE_INQUIRY;
            case "settle" -> TerminalOperation.SETTLE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--op: expected echo, purchase, refund, pre-auth, balance or settle, found '" + op + "'");
        };
        ScriptStep step = ScriptStep.of(operation).withCard(card == null ? "" : card).withAmount(amount).withPin(pin);
        try {
            // the steps before --op must succeed, or the run exits 1: a refused sign-on (an unknown
            // terminal, another merchant) or downloads that stopped are not a working terminal
            List<ScriptStep> all = new ArrayList<>(List.of(ScriptStep.of(TerminalOperation.SIGN_ON).withExpect("00")));
            if (downloadParams) {
                all.add(ScriptStep.of(TerminalOperation.DOWNLOAD_PARAMETERS).withExpect("00"));
            }
            all.add(step);
            return new TransactionScript(all);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<IssuedCard> loadCards() {
        if (cards == null) {
            return List.of();
        }
        return CardCsv.read(cards);
    }
}
