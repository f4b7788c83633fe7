package tern.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP peer outside the cluster (root namespace): accepts one connection from a talker job, checks
 * that the numbered lines arrive exactly once and in order, and echoes each back.
 */
final class OutsidePeer implements AutoCloseable {
  private final ServerSocket server;
  final CompletableFuture<String> outcome = new CompletableFuture<>();
  final AtomicLong lastLine = new AtomicLong();
  volatile String remoteAddress;

  OutsidePeer() throws IOException {
    this(Lab.OUTSIDE_PEER_IP);
  }

  /** A peer listening on the given address of this machine (the appliance's VMs reach loopback). */
  OutsidePeer(String bindIp) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(bindIp), 0));
    Thread t = new Thread(this::serve, "outside-peer");
    t.setDaemon(true);
    t.start();
  }

  int port() { return server.getLocalPort(); }

  private void serve() {
    try (Socket s = server.accept()) {
      remoteAddress = s.getInetAddress().getHostAddress();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      long expected = 1;
      while (true) {
        String line = in.readLine();
        if (line == null) { outcome.complete("connection closed after line " + (expected - 1) + " without done"); return; }
        if (line.equals("done")) { outcome.complete("ok " + (expected - 1)); return; }
        if (!line.equals(Long.toString(expected))) { outcome.complete("expected line " + expected + " but got '" + line + "'"); return; }
        lastLine.set(expected);
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expected++;
      }
    } catch (IOException e) {
      outcome.complete("connection failed: " + e);
    }
  }

  @Override public void close() throws IOException { server.close(); }
}
