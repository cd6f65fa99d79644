package io.isoswitch.settlement.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of the test database whose connections can go silent the way
 * a dead network path does: {@link #freeze()} stops every connection open at that moment from
 * passing bytes either way, without closing it (no reset, no FIN), until {@link #thaw()};
 * connections opened afterwards pass, as a database reached again over a new path would.
 * {@link #refuse()} resets every connection and every new one at once (a host that refuses
 * connections, as during a failover), until {@link #admit()}.
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    public StallingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("stalling-proxy-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The connections open now stop passing bytes (held, not dropped); new ones still pass. */
    public void freeze() {
        links.forEach(link -> link.frozen = true);
    }

    /** Frozen connections pass again what they held and whatever follows. */
    public void thaw() {
        for (Link link : links) {
            synchronized (link) {
                link.frozen = false;
                link.notifyAll();
            }
        }
    }

    /** Resets every connection open now, and each new one as soon as it is accepted, until {@link #admit()}. */
    public void refuse() {
        refusing = true;
        for (Link link : links) {
            link.reset();
            links.remove(link);
        }
    }

    /** New connections pass again. */
    public void admit() {
        refusing = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    new Link(client, null).reset();
                    continue;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Link link = new Link(client, target);
                links.add(link);
                Thread.ofVirtual().start(() -> link.pump(client, target));
                Thread.ofVirtual().start(() -> link.pump(target, client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        thaw();
        for (Link link : links) {
            link.close();
        }
    }

    private static final class Link {
        private final Socket client;
        private final Socket target;
        private volatile boolean frozen;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitThawed();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: close the other below
            } finally {
                close();
            }
        }

        private synchronized void awaitThawed() throws InterruptedException {
            while (frozen) {
                wait();
            }
        }

        /** Closes both sides with a reset (SO_LINGER 0), not a FIN. */
        void reset() {
            for (Socket socket : new Socket[] {client, target}) {
                if (socket == null) {
                    continue;
                }
                try {
                    socket.setSoLinger(true, 0);
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                target.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
