package io.isoswitch.core.emv;

import io.isoswitch.codec.IsoMessageView;
import io.isoswitch.codec.cup.EmvDownloadField;
import io.isoswitch.codec.cup.ParameterDownloadField;
import io.isoswitch.codec.tlv.TlvException;
import io.isoswitch.core.listener.Decision;
import io.isoswitch.core.terminal.Merchant;
import io.isoswitch.core.terminal.Terminal;
import io.isoswitch.core.txn.ResponseCodes;
import io.isoswitch.core.txn.TransactionType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the UnionPay POS start-up downloads (docs/emv-downloads.md) from the EMV parameters in
 * use. The pipeline has already checked the terminal (known, active, its merchant, signed on);
 * what is left is field 62. The answers carry no MAC: cup-pos.md 9.3, 0800/0820 carry none.
 *
 * <ul>
 * <li>360 parameter download: 00, field 62 = codes 11, 12 (the merchant's name), 13</li>
 * <li>362 POS status upload, 371 and 381 download ends: 00</li>
 * <li>372 / 382 status upload: 00, field 62 = the page of keys / AIDs from the count the terminal
 *     holds, flag '2' while more follow, '1' on the last page, '0' when there is nothing (more)</li>
 * <li>370 / 380 download: 00 and the key's / AID's TLVs; 25 when the switch has no such key or
 *     AID (unable to locate record); 30 when field 62 does not name one (missing or malformed)</li>
 * </ul>
 */
public final class EmvDownloads {
    /** The transaction types answered here. */
    public static final Set<TransactionType> TYPES = EnumSet.of(TransactionType.PARAMETER_DOWNLOAD,
            TransactionType.POS_STATUS_UPLOAD, TransactionType.CA_KEY_STATUS_UPLOAD, TransactionType.CA_KEY_DOWNLOAD,
            TransactionType.CA_KEY_DOWNLOAD_END, TransactionType.AID_STATUS_UPLOAD, TransactionType.AID_DOWNLOAD,
            TransactionType.AID_DOWNLOAD_END);
    /**
     * Largest field 62 a status answer is given. The dialect's field holds 999 bytes, but cup-pos.md
     * 3 says many terminals size it 512: a longer list goes in pages.
     */
    public static final int MAX_FIELD_BYTES = 512;

    private static final Logger LOG = LoggerFactory.getLogger(EmvDownloads.class);
    private static final int FIELD_62 = 62;

    private volatile EmvParameters parameters;

    public EmvDownloads(EmvParameters parameters) {
        this.parameters = parameters;
    }

    /** Replaces the parameters in use (a reload); requests already answered keep their answers. */
    public void use(EmvParameters next) {
        this.parameters = next;
    }

    public EmvParameters parameters() {
        return parameters;
    }

    /**
     * The answer to {@code request}, one of {@link #TYPES}.
     *
     * @param merchant the terminal's merchant (its name goes into the 360 answer)
     */
    public Decision answer(TransactionType type, IsoMessageView request, Terminal terminal, Merchant merchant) {
        EmvParameters in = parameters;
        byte[] field62 = request.has(FIELD_62) ? request.getBytes(FIELD_62) : null;
        try {
            return switch (type) {
                case PARAMETER_DOWNLOAD -> approved(type, ParameterDownloadField.build(in.parameterDownload().supportedTransactions(),
                        merchant.name(), in.parameterDownload().advertisement()));
                case CA_KEY_STATUS_UPLOAD -> approved(type, page(in.caPublicKeys(), CaPublicKey::statusEntry,
                        EmvDownloadField.readStatusRequest(field62)));
                case AID_STATUS_UPLOAD -> approved(type, page(in.applications(), EmvApplication::statusEntry,
                        EmvDownloadField.readStatusRequest(field62)));
                case CA_KEY_DOWNLOAD -> {
                    String name = EmvDownloadField.readKeyRequest(field62).hex();
                    yield download(type, terminal, in.key(name).map(CaPublicKey::downloadTlvs), "CA key " + name);
                }
                case AID_DOWNLOAD -> {
                    String aid = Hex.format(EmvDownloadField.readAidRequest(field62));
                    yield download(type, terminal, in.application(aid).map(EmvApplication::downloadTlvs), "AID " + aid);
                }
                default -> Decision.of(ResponseCodes.APPROVED, type.tag());
            };
        } catch (TlvException e) {
            // names tag path and offset only; field 62 here holds public key data, never card data
            LOG.info("terminal {}: {} with a field 62 that names nothing: {}", terminal.id(), type.tag(), e.getMessage());
            return Decision.of(ResponseCodes.FORMAT_ERROR, type.tag());
        }
    }

    private static Decision download(TransactionType type, Terminal terminal, Optional<byte[]> tlvs, String what) {
        if (tlvs.isEmpty()) {
            LOG.info("terminal {} asked for {}, which is not in the EMV parameters", terminal.id(), what);
            return Decision.of(ResponseCodes.UNABLE_TO_LOCATE_ORIGINAL, type.tag());
        }
        return approved(type, EmvDownloadField.downloadAnswer(tlvs.get()));
    }

    /**
     * The entries from {@code from} on that fit in {@link #MAX_FIELD_BYTES} with the flag byte:
     * '2' when more remain, '1' when these are the last, '0' when there are none from there.
     */
    static <T> byte[] page(List<T> all, Function<T, byte[]> entry, int from) {
        List<byte[]> page = new ArrayList<>();
        int length = 1;
        int next = from;
        while (next < all.size()) {
            byte[] encoded = entry.apply(all.get(next));
            if (length + encoded.length > MAX_FIELD_BYTES) {
                break;
            }
            page.add(encoded);
            length += encoded.length;
            next++;
        }
        byte flag = page.isEmpty() ? EmvDownloadField.NONE : next < all.size() ? EmvDownloadField.MORE : EmvDownloadField.LAST;
        return EmvDownloadField.statusAnswer(flag, page);
    }

    private static Decision approved(TransactionType type, byte[] field62) {
        return new Decision(ResponseCodes.APPROVED, Map.of(FIELD_62, field62), null, type.tag(), "none");
    }
}
