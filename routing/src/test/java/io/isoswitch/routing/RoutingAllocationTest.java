package io.isoswitch.routing;

import static io.isoswitch.routing.Routes.PURCHASE_CNY_100;
import static io.isoswitch.routing.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing runs on the event loop for every transaction: a lookup allocates nothing. */
class RoutingAllocationTest {
    private static final int ROUNDS = 50_000;
    /** Room for the meter's own bookkeeping; one allocation per lookup would be over a megabyte. */
    private static final long SLACK_BYTES = 4096;

    @Test
    void routingATransactionAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Router router = new Router(RoutingTable.of(List.of(route("cup", "cup-a", "cup-b", "622588", "62258800..62258899")),
                null));
        IssuerHealth primaryDown = issuer -> !issuer.equals("cup-a");
        String[] pans = {"6225880012345678", "6225881012345678", "4111111111111111"};
        int routed = routeAll(router, pans, primaryDown, 2_000);
        long before = threads.getCurrentThreadAllocatedBytes();
        routed += routeAll(router, pans, primaryDown, ROUNDS);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(routed).isEqualTo(2 * (2_000 + ROUNDS));
        assertThat(allocated).isLessThan(SLACK_BYTES);
    }

    private static int routeAll(Router router, String[] pans, IssuerHealth health, int rounds) {
        int routed = 0;
        for (int i = 0; i < rounds; i++) {
            for (String pan : pans) {
                if (router.route(pan, PURCHASE_CNY_100, health) instanceof RoutingDecision.Routed) {
                    routed++;
                }
            }
        }
        return routed;
    }
}
