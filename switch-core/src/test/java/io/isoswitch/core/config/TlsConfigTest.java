package io.isoswitch.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsConfigTest {
    private static final String PIN = "AB:CD:" + "0123456789abcdef".repeat(3) + "0123456789ab";

    private static SwitchConfig parse(String yaml) {
        return SwitchConfigLoader.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void readsTlsOfListenersAndIssuersFromYaml() {
        SwitchConfig config = parse("""
                listeners:
                  - {dialect: iso87binary, port: 8583}
                  - name: iso87binary-tls
                    dialect: iso87binary
                    port: 8593
                    tls: {certificate: switch.pem, privateKey: switch-key.pem, clientAuth: require, trustCertificates: terminals-ca.pem}
                issuers:
                  - issuerId: bank-a
                    host: 127.0.0.1
                    port: 9583
                    acquiringInstitutionId: "10000000001"
                    tls: {keyStore: switch.p12, password: secret, pins: ["%s"]}
                """.formatted(PIN));
        assertThat(config.listeners().get(0).tls()).isNull();
        TlsConfig listener = config.listeners().get(1).tls();
        assertThat(listener.clientAuth()).isEqualTo("require");
        assertThat(listener.trustCertificates()).isEqualTo("terminals-ca.pem");
        TlsConfig issuer = config.issuers().getFirst().tls();
        assertThat(issuer.keyStore()).isEqualTo("switch.p12");
        assertThat(issuer.pins()).containsExactly(PIN.replace(":", "").toLowerCase(java.util.Locale.ROOT));
        assertThat(SwitchConfigLoader.describe(config)).doesNotContain("secret");
    }

    @Test
    void rejectsAMalformedPinAnUnknownClientAuthAndHalfAKeyPair() {
        assertThatThrownBy(() -> new TlsConfig(null, null, null, null, null, null, List.of("abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.pins[]");
        assertThatThrownBy(() -> new TlsConfig("a.pem", "k.pem", null, null, "maybe", null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.clientAuth");
        assertThatThrownBy(() -> new TlsConfig("a.pem", null, null, null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("privateKey");
        assertThatThrownBy(() -> new TlsConfig("a.pem", "k.pem", "s.p12", null, null, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls.keyStore");
    }

    @Test
    void aListenerNeedsKeyMaterialAndTakesNoPins() {
        assertThatThrownBy(() -> new ListenerConfig("x", null, 1, "iso87binary", null, 0, 0, 0, 0)
                .withTls(new TlsConfig(null, null, null, null, null, "ca.pem", null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners[x].tls");
        assertThatThrownBy(() -> new ListenerConfig("x", null, 1, "iso87binary", null, 0, 0, 0, 0)
                .withTls(new TlsConfig("a.pem", "k.pem", null, null, null, null, List.of(PIN))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listeners[x].tls.pins");
    }

    @Test
    void thePasswordNeverShowsInToString() {
        assertThat(new TlsConfig(null, null, "s.p12", "hunter2", null, null, null).toString()).doesNotContain("hunter2");
    }
}
