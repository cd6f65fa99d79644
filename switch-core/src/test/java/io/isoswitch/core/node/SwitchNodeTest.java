package io.isoswitch.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwitchNodeTest {
    @Test
    void nodesNumberedByTheirLastDigitGetDistinctRrnDigits() {
        assertThat(SwitchNode.rrnNodeDigit("node-1")).isEqualTo(1);
        assertThat(SwitchNode.rrnNodeDigit("node-2")).isEqualTo(2);
        assertThat(SwitchNode.rrnNodeDigit("demo")).isBetween(0, 9);
    }
}
