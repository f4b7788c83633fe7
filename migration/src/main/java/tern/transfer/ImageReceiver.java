package tern.transfer;

import tern.cluster.ClusterSecret;

import javax.crypto.Mac;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.zip.InflaterInputStream;

/**
 * The acceptor's half of an image stream: a fresh port that takes exactly one authenticated stream
 * for one migration, and stores its files in a directory. Anything unauthenticated is refused before a
 * byte is written.
 */
public final class ImageReceiver implements AutoCloseable {
  private final ClusterSecret secret;
  private final String migrationId;
  private final Path dir;
  private final ServerSocket server;
  private final CompletableFuture<Long> done = new CompletableFuture<>();

  public ImageReceiver(ClusterSecret secret, String migrationId, Path dir, String bindIp) throws IOException {
    this.secret = secret;
    this.migrationId = migrationId;
    this.dir = dir;
    this.server = new ServerSocket();
    server.setReceiveBufferSize(1 << 20);
    server.bind(new InetSocketAddress(InetAddress.getByName(bindIp), 0), 4);
    Thread t = new Thread(this::acceptLoop, "image-receiver-" + migrationId);
    t.setDaemon(true);
    t.start();
  }

  public int port() { return server.getLocalPort(); }

  /** Completes with the number of image bytes stored, once a valid stream has fully arrived. */
  public CompletableFuture<Long> done() { return done; }

  private void acceptLoop() {
    // Keep listening until one stream is stored: a peer without the secret must not be able to
    // use up the acceptor's one port.
    while (!done.isDone() && !server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(5_000);  // a silent peer must not hold the port for long
        long bytes = receive(s);
        s.getOutputStream().write(1);
        s.getOutputStream().flush();
        done.complete(bytes);
      } catch (SecurityException e) {
        System.err.println("image receiver " + migrationId + ": refused a stream: " + e.getMessage());
      } catch (IOException e) {
        if (server.isClosed()) break;
        deleteFiles();
        done.completeExceptionally(new IOException("image stream for " + migrationId + " broke: " + e.getMessage(), e));
      }
    }
    closeQuietly();
  }

  private long receive(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
    byte[] nonce;
    try {
      nonce = checkHeader(in);
    } catch (IOException e) {
      throw new SecurityException("incomplete header: " + e.getMessage());
    }
    s.setSoTimeout(60_000);
    return receiveBody(in, nonce);
  }

  /** Returns the stream's nonce once its header is proven to come from a cluster member, for this migration. */
  private byte[] checkHeader(DataInputStream in) throws IOException {
    byte[] magic = new byte[ImageStreamFormat.MAGIC.length];
    in.readFully(magic);
    if (!MessageDigest.isEqual(magic, ImageStreamFormat.MAGIC)) throw new SecurityException("not a Tern image stream");
    int idLen = in.readUnsignedShort();
    if (idLen > 256) throw new SecurityException("bad header");
    byte[] id = new byte[idLen];
    in.readFully(id);
    long issuedAt = in.readLong();
    byte[] nonce = new byte[16];
    in.readFully(nonce);
    byte[] mac = new byte[32];
    in.readFully(mac);
    String streamId = new String(id, StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(mac, ImageStreamFormat.headerMac(secret, streamId, issuedAt, nonce))) {
      throw new SecurityException("image stream header not signed with the cluster secret");
    }
    if (!streamId.equals(migrationId)) throw new SecurityException("stream is for migration " + streamId + ", expected " + migrationId);
    if (Math.abs(System.currentTimeMillis() - issuedAt) > ImageStreamFormat.MAX_HEADER_AGE_MS) {
      throw new SecurityException("image stream header is stale");
    }
    return nonce;
  }

  private long receiveBody(DataInputStream in, byte[] nonce) throws IOException {
    Files.createDirectories(dir);
    Mac bodyMac = ImageStreamFormat.bodyMac(secret, nonce);
    long stored = 0;
    FrameInputStream frames = new FrameInputStream(in, bodyMac);
    DataInputStream body = new DataInputStream(new InflaterInputStream(frames, new java.util.zip.Inflater(), 1 << 16));
    byte[] buf = new byte[1 << 16];
    while (true) {
      int nameLen = body.readUnsignedShort();
      if (nameLen == 0) break;
      byte[] name = new byte[nameLen];
      body.readFully(name);
      String fileName = new String(name, StandardCharsets.UTF_8);
      if (!ImageStreamFormat.validName(fileName)) throw new IOException("bad image file name in stream: '" + fileName + "'");
      long size = body.readLong();
      try (OutputStream out = Files.newOutputStream(dir.resolve(fileName))) {
        long left = size;
        while (left > 0) {
          int n = body.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) throw new EOFException("stream ended inside " + fileName);
          out.write(buf, 0, n);
          left -= n;
        }
      }
      stored += size;
    }
    // The inflater may stop before the end-of-frames marker has been read: read up to it.
    while (frames.read(buf, 0, buf.length) >= 0) { /* deflate's own trailer only */ }
    byte[] trailer = new byte[32];
    in.readFully(trailer);
    if (!MessageDigest.isEqual(trailer, bodyMac.doFinal())) {
      throw new IOException("image stream body does not match its cluster proof (corrupted or forged)");
    }
    return stored;
  }

  private void deleteFiles() {
    try (var files = Files.list(dir)) {
      files.forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // nothing was stored
    }
  }

  @Override public void close() {
    closeQuietly();
    done.completeExceptionally(new IOException("image receiver for " + migrationId + " closed"));
  }

  private void closeQuietly() {
    try { server.close(); } catch (IOException ignored) { }
  }

  /** Reads length-prefixed frames until the zero-length end marker, feeding every byte to the MAC. */
  private static final class FrameInputStream extends InputStream {
    private final DataInputStream in;
    private final Mac mac;
    private int left;
    private boolean ended;

    FrameInputStream(DataInputStream in, Mac mac) { this.in = in; this.mac = mac; }

    @Override public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      if (ended) return -1;
      if (left == 0) {
        left = in.readInt();
        if (left == 0) { ended = true; return -1; }
        if (left < 0 || left > ImageStreamFormat.MAX_FRAME) throw new IOException("bad frame length " + left);
      }
      int n = in.read(b, off, Math.min(len, left));
      if (n < 0) throw new EOFException("image stream ended inside a frame");
      mac.update(b, off, n);
      left -= n;
      return n;
    }
  }
}
