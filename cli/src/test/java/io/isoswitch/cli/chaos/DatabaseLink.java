package io.isoswitch.cli.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The network path between a switch process and PostgreSQL, as a TCP proxy on 127.0.0.1 that a
 * test can cut: {@link #cut()} resets every connection through it and from then on resets each new
 * one as soon as it is accepted (what a client sees of a database host that refuses connections,
 * or of a failover in progress), until {@link #restore()}. Nothing of the PostgreSQL server is
 * touched, and other sessions' connections never pass here.
 */
final class DatabaseLink implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reset = new AtomicLong();

    DatabaseLink(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Thread.ofVirtual().name("database-link-accept").start(this::accept);
    }

    /** The port a switch's JDBC URL names instead of PostgreSQL's. */
    int port() {
        return server.getLocalPort();
    }

    /** Resets every connection open now and refuses new ones until {@link #restore()}. */
    void cut() {
        cut = true;
        for (Socket socket : open) {
            if (abort(socket)) {
                reset.incrementAndGet();
            }
        }
    }

    /** New connections pass again. */
    void restore() {
        cut = false;
    }

    /** Connections passed to PostgreSQL, refused while cut, and reset by a cut (each side counted). */
    String figures() {
        return passed.get() + " passed, " + refused.get() + " refused while cut, " + reset.get() + " sockets reset by the cut";
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                abort(client);
                continue;
            }
            try {
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(target);
                passed.incrementAndGet();
                Thread.ofVirtual().start(() -> pump(client, target));
                Thread.ofVirtual().start(() -> pump(target, client));
            } catch (IOException e) {
                abort(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or was reset: the other goes too, below
        } finally {
            abort(from);
            abort(to);
        }
    }

    /** Closes with a reset (SO_LINGER 0), not an orderly FIN: the peer's next read or write fails at once. */
    private boolean abort(Socket socket) {
        boolean wasOpen = open.remove(socket);
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        return wasOpen;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(this::abort);
    }
}
