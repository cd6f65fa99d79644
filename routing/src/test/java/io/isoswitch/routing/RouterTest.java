package io.isoswitch.routing;

import static io.isoswitch.routing.Routes.PURCHASE_CNY_100;
import static io.isoswitch.routing.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.isoswitch.routing.RoutingDecision.Routed;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final String PAN_A = "6225880123456789";
    private static final String PAN_B = "4111111111111111";

    @Test
    void reloadSwapsTheTableForLaterLookupsAndReturnsTheOldOne() {
        RoutingTable first = table("one");
        RoutingTable second = table("two");
        Router router = new Router(first);
        assertThat(router.route(PAN_A, PURCHASE_CNY_100, IssuerHealth.ALL_UP)).isEqualTo(new Routed("cup", "one-cup", false));
        assertThat(router.reload(second)).isSameAs(first);
        assertThat(router.current()).isSameAs(second);
        assertThat(router.route(PAN_A, PURCHASE_CNY_100, IssuerHealth.ALL_UP)).isEqualTo(new Routed("cup", "two-cup", false));
    }

    /**
     * Readers route two PANs against one snapshot while a writer keeps reloading: both answers
     * always come from the same generation, and every lookup finds a complete table.
     */
    @Test
    void lookupsDuringReloadsAlwaysSeeOneWholeTable() throws InterruptedException {
        RoutingTable[] tables = {table("one"), table("two")};
        Router router = new Router(tables[0]);
        AtomicBoolean reloading = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            awaitQuietly(start);
            int lookups = 0;
            while (reloading.get() || lookups < 1000) {
                RoutingTable snapshot = router.current();
                String a = ((Routed) snapshot.route(PAN_A, PURCHASE_CNY_100, IssuerHealth.ALL_UP)).issuer();
                String b = ((Routed) snapshot.route(PAN_B, PURCHASE_CNY_100, IssuerHealth.ALL_UP)).issuer();
                String viaRouter = ((Routed) router.route(PAN_B, PURCHASE_CNY_100, IssuerHealth.ALL_UP)).issuer();
                if (!a.substring(0, 3).equals(b.substring(0, 3)) || !viaRouter.endsWith("-visa")) {
                    mixed.add(a + "/" + b + "/" + viaRouter);
                }
                lookups++;
            }
        });
        start.countDown();
        for (int i = 0; i < 20_000; i++) {
            router.reload(tables[i % 2]);
        }
        reloading.set(false);
        reader.join();
        assertThat(mixed).isEmpty();
    }

    private static RoutingTable table(String generation) {
        return RoutingTable.of(List.of(route("cup", generation + "-cup", null, "622588"),
                route("visa", generation + "-visa", null, "411111")), null);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
