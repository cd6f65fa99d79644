package io.isoswitch.core.terminal;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable directory built from a list (a seed file, the demo, tests). Every terminal's
 * merchant must exist, so a typo fails at start rather than on the first transaction.
 */
public final class StaticTerminalDirectory implements TerminalDirectory {
    private final Map<String, Terminal> terminals;
    private final Map<String, Merchant> merchants;

    public StaticTerminalDirectory(Collection<Merchant> merchants, Collection<Terminal> terminals) {
        this.merchants = merchants.stream().collect(Collectors.toUnmodifiableMap(Merchant::id, Function.identity()));
        this.terminals = terminals.stream().collect(Collectors.toUnmodifiableMap(Terminal::id, Function.identity()));
        for (Terminal terminal : terminals) {
            if (!this.merchants.containsKey(terminal.merchantId())) {
                throw new IllegalArgumentException("terminal " + terminal.id() + " names unknown merchant " + terminal.merchantId());
            }
        }
    }

    @Override
    public Optional<Terminal> terminal(String terminalId) {
        return Optional.ofNullable(terminals.get(terminalId));
    }

    @Override
    public Optional<Merchant> merchant(String merchantId) {
        return Optional.ofNullable(merchants.get(merchantId));
    }

    public int terminalCount() {
        return terminals.size();
    }
}
