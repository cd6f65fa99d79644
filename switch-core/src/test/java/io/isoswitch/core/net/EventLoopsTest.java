package io.isoswitch.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    @Test
    void byDefaultThereIsOneIoThreadPerCore() {
        try (EventLoops loops = EventLoops.create(0)) {
            assertThat(((MultiThreadIoEventLoopGroup) loops.workers()).executorCount())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void anExplicitCountIsKept() {
        try (EventLoops loops = EventLoops.create(3)) {
            assertThat(((MultiThreadIoEventLoopGroup) loops.workers()).executorCount()).isEqualTo(3);
        }
    }
}
