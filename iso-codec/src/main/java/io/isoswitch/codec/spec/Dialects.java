package io.isoswitch.codec.spec;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in dialects, each declared once as a spec file shipped in this jar
 * ({@code io/isoswitch/codec/spec/dialects/<name>.yaml}) and loaded on first use.
 *
 * <table>
 *   <caption>Built-in dialects</caption>
 *   <tr><th>name</th><th>as</th></tr>
 *   <tr><td>{@code iso87binary}</td><td>jPOS {@code packager/iso87binary.xml}</td></tr>
 *   <tr><td>{@code iso87ascii}</td><td>jPOS {@code packager/iso87ascii.xml}</td></tr>
 *   <tr><td>{@code iso93binary}</td><td>jPOS {@code packager/iso93binary.xml}</td></tr>
 *   <tr><td>{@code cup-pos}</td><td>China UnionPay POS terminals (TPDU + 6-byte header)</td></tr>
 * </table>
 */
public final class Dialects {
    /** Names of the built-in dialects. */
    public static final List<String> BUILT_IN = List.of("iso87binary", "iso87ascii", "iso93binary", "cup-pos");

    private static final Map<String, MessageSpec> LOADED = new ConcurrentHashMap<>();

    private Dialects() {
    }

    /** The built-in dialect called {@code name}; throws {@link InvalidSpecException} for an unknown name. */
    public static MessageSpec byName(String name) {
        if (name == null || !BUILT_IN.contains(name)) {
            throw new InvalidSpecException("dialect", "unknown dialect '" + name + "' (built in: " + BUILT_IN + ")");
        }
        return LOADED.computeIfAbsent(name, Dialects::loadBuiltIn);
    }

    public static MessageSpec iso87binary() {
        return byName("iso87binary");
    }

    public static MessageSpec iso87ascii() {
        return byName("iso87ascii");
    }

    public static MessageSpec iso93binary() {
        return byName("iso93binary");
    }

    public static MessageSpec cupPos() {
        return byName("cup-pos");
    }

    private static MessageSpec loadBuiltIn(String name) {
        String resource = "dialects/" + name + ".yaml";
        try (InputStream in = Dialects.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidSpecException("dialect", "built-in spec file " + resource + " is missing from the jar");
            }
            return SpecFileLoader.load(in, resource);
        } catch (java.io.IOException e) {
            throw new InvalidSpecException("dialect", "cannot read built-in spec " + resource + ": " + e.getMessage());
        }
    }
}
