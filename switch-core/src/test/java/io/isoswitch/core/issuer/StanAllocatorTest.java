package io.isoswitch.core.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class StanAllocatorTest {
    @Test
    void wrapsFrom999999To1AndNeverGivesZero() {
        StanAllocator stans = new StanAllocator(999_998);
        assertThat(stans.next(stan -> false)).isEqualTo(999_999);
        assertThat(stans.next(stan -> false)).isEqualTo(1);
    }

    @Test
    void skipsStansStillWaitingForAnAnswer() {
        StanAllocator stans = new StanAllocator(0);
        Set<Integer> waiting = Set.of(1, 2, 4);
        assertThat(stans.next(waiting::contains)).isEqualTo(3);
        assertThat(stans.next(waiting::contains)).isEqualTo(5);
    }

    @Test
    void failsWhenEveryStanIsInUse() {
        assertThatThrownBy(() -> new StanAllocator(0).next(stan -> true)).isInstanceOf(IllegalStateException.class);
    }
}
