package tern.transfer;

import tern.cluster.ClusterSecret;

import javax.crypto.Mac;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** The donor's half of an image stream: every file of a dump directory, compressed and authenticated. */
public final class ImageSender {
  private final ClusterSecret secret;

  public ImageSender(ClusterSecret secret) { this.secret = secret; }

  /**
   * Sends dir's files to the acceptor. {@code abortAfterBytes} &ge; 0 cuts the connection after that
   * many raw bytes (fault injection: the link drops mid-stream).
   */
  public Stats send(Path dir, String host, int port, String migrationId, long abortAfterBytes) throws IOException {
    return send(dir, host, port, migrationId, abortAfterBytes, sent -> { });
  }

  /** {@link #send(Path, String, int, String, long)}, telling {@code progress} the bytes on the wire so far after each frame. */
  public Stats send(Path dir, String host, int port, String migrationId, long abortAfterBytes, LongConsumer progress) throws IOException {
    long started = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSendBufferSize(1 << 20);
      socket.connect(new InetSocketAddress(host, port), 10_000);
      socket.setSoTimeout(120_000);
      OutputStream raw = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      DataOutputStream out = new DataOutputStream(raw);
      byte[] nonce = new byte[16];
      new SecureRandom().nextBytes(nonce);
      long issuedAt = System.currentTimeMillis();
      byte[] id = migrationId.getBytes(StandardCharsets.UTF_8);
      out.write(ImageStreamFormat.MAGIC);
      out.writeShort(id.length);
      out.write(id);
      out.writeLong(issuedAt);
      out.write(nonce);
      out.write(ImageStreamFormat.headerMac(secret, migrationId, issuedAt, nonce));

      Mac bodyMac = ImageStreamFormat.bodyMac(secret, nonce);
      FrameOutputStream frames = new FrameOutputStream(out, bodyMac, abortAfterBytes, socket, progress);
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      long rawBytes = 0;
      try (DataOutputStream body = new DataOutputStream(new DeflaterOutputStream(frames, deflater, 1 << 16))) {
        for (Path file : files(dir)) {
          byte[] name = file.getFileName().toString().getBytes(StandardCharsets.UTF_8);
          long size = Files.size(file);
          body.writeShort(name.length);
          body.write(name);
          body.writeLong(size);
          try (InputStream in = Files.newInputStream(file)) {
            long copied = in.transferTo(body);
            if (copied != size) throw new IOException(file + " changed size while being sent");
          }
          rawBytes += size;
        }
        body.writeShort(0);
      } finally {
        deflater.end();
      }
      out.writeInt(0);
      out.write(bodyMac.doFinal());
      out.flush();
      socket.shutdownOutput();
      // The acceptor answers one byte once it has checked the trailer and stored every file.
      int ack = socket.getInputStream().read();
      if (ack != 1) throw new IOException("acceptor did not confirm the image stream (got " + ack + ")");
      return new Stats(rawBytes, frames.bytes(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".log")) files.add(p);
    }
    files.sort(null);
    return files;
  }

  /** rawBytes: the images' size; wireBytes: what crossed the link after compression. */
  public record Stats(long rawBytes, long wireBytes, long millis) { }

  /** Cuts the deflate output into length-prefixed frames and feeds every byte to the body MAC. */
  private static final class FrameOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final Mac mac;
    private final long abortAfter;
    private final Socket socket;
    private final LongConsumer progress;
    private long bytes;

    FrameOutputStream(DataOutputStream out, Mac mac, long abortAfter, Socket socket, LongConsumer progress) {
      this.out = out; this.mac = mac; this.abortAfter = abortAfter; this.socket = socket; this.progress = progress;
    }

    @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, ImageStreamFormat.MAX_FRAME);
        if (abortAfter >= 0 && bytes + n > abortAfter) {
          socket.setSoLinger(true, 0);
          socket.close();
          throw new IOException("link dropped (injected fault) after " + bytes + " bytes");
        }
        out.writeInt(n);
        out.write(b, off, n);
        mac.update(b, off, n);
        bytes += n + 4;
        off += n;
        len -= n;
        progress.accept(bytes);
      }
    }

    @Override public void flush() throws IOException { out.flush(); }

    @Override public void close() { /* the socket is closed by the sender */ }

    long bytes() { return bytes; }
  }
}
