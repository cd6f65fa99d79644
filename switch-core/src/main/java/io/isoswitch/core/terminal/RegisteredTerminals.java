package io.isoswitch.core.terminal;

import io.isoswitch.core.txn.TransactionType;
import io.isoswitch.settlement.store.MerchantRepository;
import io.isoswitch.settlement.store.TerminalRepository;
import io.isoswitch.settlement.store.TerminalStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The terminal directory kept in the journal database, so that every node sees the same terminals
 * and merchants. A seed file is written into the database at start; lookups are answered from an
 * in-memory copy (they happen on event loops), which {@link #reload()} replaces atomically, off
 * the event loops.
 */
public final class RegisteredTerminals implements TerminalDirectory {
    private final MerchantRepository merchants;
    private final TerminalRepository terminals;
    private final AtomicReference<StaticTerminalDirectory> current =
            new AtomicReference<>(new StaticTerminalDirectory(List.of(), List.of()));

    public RegisteredTerminals(MerchantRepository merchants, TerminalRepository terminals) {
        this.merchants = merchants;
        this.terminals = terminals;
    }

    /** Writes a seed file's merchants and terminals into the database (insert or update). Blocking. */
    public void seed(TerminalFile.Contents contents) {
        for (Merchant merchant : contents.merchants()) {
            merchants.upsert(new io.isoswitch.settlement.store.Merchant(merchant.id(), merchant.name(), merchant.mcc(),
                    merchant.currency(), merchant.feePlanId()));
        }
        for (TerminalFile.TerminalEntry entry : contents.terminals()) {
            Terminal terminal = entry.toTerminal();
            terminals.upsert(new io.isoswitch.settlement.store.Terminal(terminal.id(), terminal.merchantId(), terminal.dialect(),
                    terminal.tmkKeyBlock(), terminal.allowedTypes().stream().map(Enum::name).collect(Collectors.toSet()),
                    terminal.active() ? TerminalStatus.ACTIVE : TerminalStatus.BLOCKED));
        }
    }

    /** Reads every merchant and terminal from the database and makes them current. Blocking. */
    public int reload() {
        List<Merchant> merchantList = merchants.findAll().stream()
                .map(m -> new Merchant(m.merchantId(), m.name(), m.mcc(), m.currency(), m.feePlanId())).toList();
        List<Terminal> terminalList = terminals.findAll().stream()
                .map(t -> new Terminal(t.terminalId(), t.merchantId(), t.dialect(), t.tmkKeyBlock(), types(t.allowedTransactionTypes()),
                        t.status() == TerminalStatus.ACTIVE))
                .toList();
        current.set(new StaticTerminalDirectory(merchantList, terminalList));
        return terminalList.size();
    }

    /**
     * The active terminals of the current directory whose ids are not in {@code listed}, sorted: a
     * terminal taken out of the terminals file stays in the database, and active, until the file says
     * {@code active: false} for it.
     */
    public List<String> activeNotIn(Set<String> listed) {
        return terminals.findAll().stream().filter(t -> t.status() == TerminalStatus.ACTIVE)
                .map(io.isoswitch.settlement.store.Terminal::terminalId).filter(id -> !listed.contains(id)).sorted().toList();
    }

    private static Set<TransactionType> types(Set<String> names) {
        if (names.isEmpty()) {
            return EnumSet.allOf(TransactionType.class);
        }
        return names.stream().map(TransactionType::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(TransactionType.class)));
    }

    @Override
    public Optional<Terminal> terminal(String terminalId) {
        return current.get().terminal(terminalId);
    }

    @Override
    public Optional<Merchant> merchant(String merchantId) {
        return current.get().merchant(merchantId);
    }
}
