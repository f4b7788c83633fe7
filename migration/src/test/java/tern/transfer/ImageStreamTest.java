package tern.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tern.cluster.ClusterSecret;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image streams over real sockets on loopback: what arrives is exactly what was sent, and only from the cluster. */
class ImageStreamTest {
  private final ClusterSecret secret = new ClusterSecret("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

  @Test
  void filesArriveIdenticalAndCompressed(@TempDir Path from, @TempDir Path to) throws Exception {
    byte[] random = new byte[3 << 20];
    new Random(1).nextBytes(random);
    byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    Files.write(from.resolve("pages-1.img"), random);
    Files.write(from.resolve("pages-2.img"), text);
    Files.write(from.resolve("empty.img"), new byte[0]);
    Files.writeString(from.resolve("dump.log"), "logs are not sent");
    Path dest = to.resolve("in");
    try (ImageReceiver rx = new ImageReceiver(secret, "m1", dest, "127.0.0.1")) {
      ImageSender.Stats stats = new ImageSender(secret).send(from, "127.0.0.1", rx.port(), "m1", -1);
      assertEquals(random.length + text.length, rx.done().get(10, TimeUnit.SECONDS));
      assertEquals(random.length + text.length, stats.rawBytes());
      assertTrue(stats.wireBytes() < random.length + text.length / 10, "text should compress: " + stats);
    }
    assertArrayEquals(random, Files.readAllBytes(dest.resolve("pages-1.img")));
    assertArrayEquals(text, Files.readAllBytes(dest.resolve("pages-2.img")));
    assertEquals(0, Files.size(dest.resolve("empty.img")));
    assertFalse(Files.exists(dest.resolve("dump.log")));
  }

  @Test
  void streamSignedWithAnotherSecretIsRefusedBeforeAnythingIsWritten(@TempDir Path from, @TempDir Path to) throws Exception {
    Files.write(from.resolve("pages-1.img"), new byte[1000]);
    Path dest = to.resolve("in");
    ClusterSecret stranger = new ClusterSecret("not-the-cluster-secret".getBytes(StandardCharsets.UTF_8));
    try (ImageReceiver rx = new ImageReceiver(secret, "m1", dest, "127.0.0.1")) {
      assertThrows(IOException.class, () -> new ImageSender(stranger).send(from, "127.0.0.1", rx.port(), "m1", -1));
      assertFalse(Files.exists(dest), "nothing may be written for an unauthenticated stream");
      assertFalse(rx.done().isDone(), "the port stays open for the real donor");
      // the real donor still gets through afterwards
      new ImageSender(secret).send(from, "127.0.0.1", rx.port(), "m1", -1);
      assertEquals(1000L, rx.done().get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void streamForAnotherMigrationIsRefused(@TempDir Path from, @TempDir Path to) throws Exception {
    Files.write(from.resolve("pages-1.img"), new byte[10]);
    try (ImageReceiver rx = new ImageReceiver(secret, "m1", to.resolve("in"), "127.0.0.1")) {
      assertThrows(IOException.class, () -> new ImageSender(secret).send(from, "127.0.0.1", rx.port(), "m2", -1));
      assertFalse(Files.exists(to.resolve("in")));
    }
  }

  @Test
  void garbageIsRefused(@TempDir Path to) throws Exception {
    try (ImageReceiver rx = new ImageReceiver(secret, "m1", to.resolve("in"), "127.0.0.1");
         Socket s = new Socket("127.0.0.1", rx.port())) {
      new DataOutputStream(s.getOutputStream()).write("GET / HTTP/1.0\r\n\r\n".repeat(10).getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertEquals(-1, s.getInputStream().read());
      assertFalse(Files.exists(to.resolve("in")));
      assertFalse(rx.done().isDone());
    }
  }

  @Test
  void droppedLinkFailsTheTransferAndLeavesNoFiles(@TempDir Path from, @TempDir Path to) throws Exception {
    byte[] random = new byte[1 << 20];
    new Random(2).nextBytes(random);
    Files.write(from.resolve("pages-1.img"), random);
    Path dest = to.resolve("in");
    try (ImageReceiver rx = new ImageReceiver(secret, "m1", dest, "127.0.0.1")) {
      assertThrows(IOException.class, () -> new ImageSender(secret).send(from, "127.0.0.1", rx.port(), "m1", 100_000));
      ExecutionException e = assertThrows(ExecutionException.class, () -> rx.done().get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("broke"), e.getCause().getMessage());
      try (var files = Files.list(dest)) {
        assertEquals(0, files.count(), "partial images must be removed");
      }
    }
  }
}
