package io.isoswitch.cli;

import io.isoswitch.security.ExportedKey;
import io.isoswitch.security.HsmException;
import io.isoswitch.security.KeyAlgorithm;
import io.isoswitch.security.KeyComponents;
import io.isoswitch.security.KeyKind;
import io.isoswitch.security.LocalMasterKey;
import io.isoswitch.security.SecureKey;
import io.isoswitch.security.SoftwareHsm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code iso-switch keys}: the operations key ceremony. Creates the local master key (LMK), and
 * generates, forms, exports and imports keys as TR-31 key blocks under it. It prints check values
 * and key blocks, never a clear key; the only clear value it ever prints is a new random
 * component, to the custodian who asked for it.
 *
 * <p>The LMK is found at {@code --lmk FILE}, else the file named by {@code ISO_SWITCH_LMK}, else
 * the hex in {@code ISO_SWITCH_LMK_VALUE}, else {@code ./data/lmk.key}.
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Key ceremony: create the LMK; generate, form, export and import keys under it.",
        subcommands = {
            KeysCommand.Init.class,
            KeysCommand.Generate.class,
            KeysCommand.Kcv.class,
            KeysCommand.Form.class,
            KeysCommand.Export.class,
            KeysCommand.Import.class,
            KeysRewrap.class,
        })
public final class KeysCommand implements Runnable {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--lmk", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "LMK file (default: $ISO_SWITCH_LMK, $ISO_SWITCH_LMK_VALUE, then ./data/lmk.key)")
    Path lmkFile;

    private final Map<String, String> environment;

    public KeysCommand() {
        this(System.getenv());
    }

    /** For tests: the environment the LMK location is read from. */
    KeysCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    SoftwareHsm hsm() {
        return new SoftwareHsm(lmk());
    }

    LocalMasterKey lmk() {
        return LocalMasterKey.locate(lmkFile, environment);
    }

    static void print(PrintWriter out, SecureKey key) {
        out.println("kind:      " + key.kind() + " (" + key.kind().description() + ")");
        out.println("algorithm: " + key.algorithm());
        out.println("kcv:       " + key.kcv());
        out.println("key block: " + key.keyBlock());
        out.flush();
    }

    static byte[] hex(String value, String option) {
        try {
            return HEX.parseHex(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " must be hex digits");
        }
    }

    /** Common shape of the subcommands: run, and turn a refused operation into exit code 1. */
    @Command
    abstract static class Step implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                execute(spec.commandLine().getOut());
                return 0;
            } catch (HsmException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("keys " + spec.name() + ": " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        abstract void execute(PrintWriter out);
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a new LMK file, readable by its owner only. Refuses to overwrite one.")
    static final class Init extends Step {
        @Override
        void execute(PrintWriter out) {
            Path file = LocalMasterKey.location(parent.lmkFile, parent.environment);
            LocalMasterKey lmk = LocalMasterKey.generate(new SecureRandom());
            lmk.writeNew(file);
            out.println("LMK created: " + file);
            out.println("kcv:         " + lmk.kcv());
            out.flush();
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a random key under the LMK, or with --component a clear component for a custodian.")
    static final class Generate extends Step {
        @Option(names = "--kind", description = "Key kind: ${COMPLETION-CANDIDATES}")
        KeyKind kind;

        @Option(names = "--algorithm", defaultValue = "TDES_2KEY", description = "Algorithm: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
        KeyAlgorithm algorithm;

        @Option(names = "--component", description = "Print a random clear component and its check value instead")
        boolean component;

        @Override
        void execute(PrintWriter out) {
            if (component) {
                byte[] value = KeyComponents.generate(algorithm, new SecureRandom());
                out.println("component: " + HEX.formatHex(value));
                out.println("kcv:       " + KeyComponents.checkValue(algorithm, value));
                out.flush();
                java.util.Arrays.fill(value, (byte) 0);
                return;
            }
            if (kind == null) {
                throw new IllegalArgumentException("--kind is required to generate a key");
            }
            print(out, parent.hsm().generateKey(kind, algorithm));
        }
    }

    @Command(name = "kcv", mixinStandardHelpOptions = true,
            description = "Verify a key block under the LMK and print its kind, algorithm and check value.")
    static final class Kcv extends Step {
        @CommandLine.Parameters(paramLabel = "KEY_BLOCK", description = "The key block to check (under the LMK)")
        String keyBlock;

        @Override
        void execute(PrintWriter out) {
            SecureKey key = parent.hsm().loadKey(keyBlock.strip());
            out.println("kind:      " + key.kind());
            out.println("algorithm: " + key.algorithm());
            out.println("kcv:       " + key.kcv() + " (4 bytes: " + key.checkValue(4) + ")");
            out.flush();
        }
    }

    @Command(name = "form", mixinStandardHelpOptions = true,
            description = "Form a key under the LMK from clear components (XOR), each entered with --component.")
    static final class Form extends Step {
        @Option(names = "--kind", required = true, description = "Key kind: ${COMPLETION-CANDIDATES}")
        KeyKind kind;

        @Option(names = "--algorithm", defaultValue = "TDES_2KEY", description = "Algorithm (default ${DEFAULT-VALUE})")
        KeyAlgorithm algorithm;

        @Option(names = "--component", required = true, paramLabel = "HEX", description = "A clear component (repeat for each)")
        java.util.List<String> components;

        @Override
        void execute(PrintWriter out) {
            java.util.List<byte[]> values = new java.util.ArrayList<>();
            for (int i = 0; i < components.size(); i++) {
                byte[] value = hex(components.get(i), "--component " + (i + 1));
                out.println("component " + (i + 1) + " kcv: " + KeyComponents.checkValue(algorithm, value));
                values.add(value);
            }
            print(out, parent.hsm().formKey(kind, algorithm, values));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a key under a TMK or ZMK: ECB cryptogram and check value, or a TR-31 block with --tr31.")
    static final class Export extends Step {
        @CommandLine.Parameters(paramLabel = "KEY_BLOCK", description = "The key to export (key block under the LMK)")
        String keyBlock;

        @Option(names = "--kek", required = true, paramLabel = "KEY_BLOCK", description = "The TMK or ZMK (key block under the LMK)")
        String kekBlock;

        @Option(names = "--tr31", description = "Export as a TR-31 key block (B under TDES, D under AES)")
        boolean tr31;

        @Override
        void execute(PrintWriter out) {
            SoftwareHsm hsm = parent.hsm();
            SecureKey key = hsm.loadKey(keyBlock.strip());
            SecureKey kek = hsm.loadKey(kekBlock.strip());
            if (tr31) {
                out.println("tr31: " + hsm.exportKeyBlock(key, kek));
            } else {
                ExportedKey exported = hsm.exportKey(key, kek);
                out.println("cryptogram: " + HEX.formatHex(exported.cryptogram()));
                out.println("kcv:        " + HEX.formatHex(exported.checkValue()));
            }
            out.flush();
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a key received under a ZMK (or TMK): an ECB --cryptogram with --kind and --algorithm, or a --tr31 block.")
    static final class Import extends Step {
        @Option(names = "--kek", required = true, paramLabel = "KEY_BLOCK", description = "The ZMK or TMK (key block under the LMK)")
        String kekBlock;

        @Option(names = "--cryptogram", paramLabel = "HEX",
                description = "The key as received: encrypted under the --kek with ECB (needs --kind and --kcv)")
        String cryptogram;

        @Option(names = "--tr31", paramLabel = "KEY_BLOCK",
                description = "The key as received: a TR-31 key block under the --kek (B under TDES, D under AES)")
        String tr31;

        @Option(names = "--kind", description = "Kind of the ECB cryptogram's key")
        KeyKind kind;

        @Option(names = "--algorithm", defaultValue = "TDES_2KEY", description = "Algorithm of the ECB cryptogram's key (default ${DEFAULT-VALUE})")
        KeyAlgorithm algorithm;

        @Option(names = "--kcv", paramLabel = "HEX",
                description = "Check value received with the key, at least 6 hex digits (required with --cryptogram); refused if it differs")
        String kcv;

        /** An ECB cryptogram has no integrity of its own: its check value is the only proof it is the key the partner sent. */
        private static final int MIN_KCV_HEX_DIGITS = 6;

        @Override
        void execute(PrintWriter out) {
            if ((cryptogram == null) == (tr31 == null)) {
                throw new IllegalArgumentException("give exactly one of --cryptogram and --tr31");
            }
            SoftwareHsm hsm = parent.hsm();
            SecureKey kek = hsm.loadKey(kekBlock.strip());
            SecureKey key;
            if (tr31 != null) {
                key = hsm.importKeyBlock(tr31.strip(), kek);
            } else {
                if (kind == null) {
                    throw new IllegalArgumentException("--kind is required with --cryptogram");
                }
                if (kcv == null || kcv.strip().length() < MIN_KCV_HEX_DIGITS) {
                    throw new IllegalArgumentException("--kcv with at least " + MIN_KCV_HEX_DIGITS
                            + " hex digits is required with --cryptogram: the check value is what proves the key arrived whole");
                }
                key = hsm.importKey(kind, algorithm, hex(cryptogram, "--cryptogram"), kek, hex(kcv, "--kcv"));
            }
            print(out, key);
        }
    }
}
