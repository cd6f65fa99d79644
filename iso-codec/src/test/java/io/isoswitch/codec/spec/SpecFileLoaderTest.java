package io.isoswitch.codec.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SpecFileLoaderTest {
    private static final String HEAD = "name: test\nmti: BCD\nbitmap: BINARY\nfields:\n";

    private static MessageSpec load(String text) {
        return SpecFileLoader.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    @Test
    void loadsAYamlSpecWithVariableFixedAndCompositeFields() {
        MessageSpec spec = load(HEAD
                + "  - {id: 2, type: n, length: LL, max: 19, prefix: BCD, encoding: BCD, nibble: RIGHT}\n"
                + "  - {id: 43, type: ans, length: 40, encoding: EBCDIC}\n"
                + "  - id: 60\n    type: n\n    length: LLL\n    max: 11\n    prefix: BCD\n    encoding: BCD\n"
                + "    subfieldKind: POSITIONAL\n    subfields:\n      - {type: n, length: 2}\n      - {type: n, length: 9}\n");
        assertThat(spec.field(2).format()).isEqualTo("n..19 LL/BCD BCD");
        assertThat(spec.field(2).nibblePadding()).isEqualTo(NibblePadding.RIGHT);
        assertThat(spec.field(43).padding()).isEqualTo(Padding.SPACES_RIGHT);
        assertThat(spec.field(60).subfields()).extracting(FieldSpec::path).containsExactly("60.1", "60.2");
    }

    @Test
    void loadsTheSameSpecFromJson() {
        MessageSpec spec = load("{\"name\":\"j\",\"mti\":\"ASCII\",\"bitmap\":\"HEX\",\"maxBitmaps\":1,"
                + "\"fields\":[{\"id\":4,\"type\":\"n\",\"length\":12,\"encoding\":\"ASCII\"}]}");
        assertThat(spec.maxBitmaps()).isEqualTo(1);
        assertThat(spec.field(4).maxLength()).isEqualTo(12);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "unknown type|  - {id: 7, type: q, length: 4, encoding: BCD}|7|unknown field type 'q'",
        "prefix too small|  - {id: 48, type: ans, length: LL, max: 120, prefix: BCD, encoding: ASCII}|48|does not fit an LL BCD prefix",
        "variable without prefix|  - {id: 32, type: n, length: LL, max: 11, encoding: BCD}|32|needs a prefix encoding",
        "encoding cannot carry type|  - {id: 52, type: b, length: 8, encoding: BCD}|52|cannot carry type b",
        "unknown key|  - {id: 3, type: n, length: 6, encoding: BCD, colour: red}|3|unknown key 'colour'",
        "bad enum|  - {id: 3, type: n, length: 6, encoding: PACKED}|3|'PACKED' is not a ContentEncoding",
        "missing length|  - {id: 3, type: n, encoding: BCD}|3|'length' is missing",
        "zero length|  - {id: 3, type: n, length: 0, encoding: BCD}|3|length must be at least 1",
        "field out of range|  - {id: 200, type: n, length: 6, encoding: BCD}|200|field number must be 2 to 128",
        "variable without max|  - {id: 2, type: n, length: LL, prefix: BCD, encoding: BCD}|2|needs 'max'",
    })
    void rejectsABadSpecNamingTheField(String name, String line, String field, String message) {
        assertThatThrownBy(() -> load(HEAD + line + "\n"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.fieldPath()).isEqualTo(field);
                    assertThat(e.getMessage()).contains("field " + field).contains(message);
                });
    }

    @Test
    void rejectsAFieldDeclaredTwice() {
        assertThatThrownBy(() -> load(HEAD + "  - {id: 3, type: n, length: 6, encoding: BCD}\n  - {id: 3, type: n, length: 6, encoding: BCD}\n"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("field 3").hasMessageContaining("declared twice");
    }

    @Test
    void rejectsPositionalSubfieldsLongerThanTheirField() {
        assertThatThrownBy(() -> load(HEAD + "  - id: 60\n    type: n\n    length: LLL\n    max: 3\n    prefix: BCD\n"
                + "    encoding: BCD\n    subfieldKind: POSITIONAL\n    subfields:\n      - {type: n, length: 2}\n      - {type: n, length: 2}\n"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("field 60").hasMessageContaining("add up to 4");
    }

    @Test
    void rejectsTextThatIsNotYaml() {
        assertThatThrownBy(() -> load("name: [unclosed")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("not valid YAML or JSON");
    }

    @Test
    void namesTheBuiltInDialects() {
        for (String name : Dialects.BUILT_IN) {
            assertThat(Dialects.byName(name).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Dialects.byName("iso99")).isInstanceOf(InvalidSpecException.class).hasMessageContaining("iso99");
    }
}
