package tern.os;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemInfoTest {
  @Test
  void availableMemoryIsReadInBytes() {
    assertEquals(2_000_000L * 1024, MemInfo.availableBytes("MemTotal:  4000000 kB\nMemFree:  1000000 kB\nMemAvailable:  2000000 kB\n"));
  }

  @Test
  void meminfoWithoutAvailableMemoryIsAnErrorNotUnlimited() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MemInfo.availableBytes("MemTotal:  4000000 kB\nMemFree:  1000000 kB\n"));
    assertTrue(e.getMessage().contains("no MemAvailable"), e.getMessage());
  }

  @Test
  void unreadableFigureIsAnErrorNotUnlimited() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> MemInfo.availableBytes("MemAvailable:  lots\n"));
    assertTrue(e.getMessage().contains("MemAvailable:  lots"), e.getMessage());
  }

  @Test
  void thisMachinesMemoryIsReadable() {
    assertTrue(MemInfo.availableBytes() > 0);
  }

  @Test
  void aProcessItsOwnResidentMemoryIsAtLeastTheHeapItTouched() {
    long before = MemInfo.selfRssBytes();
    byte[] touched = new byte[32 << 20];
    java.util.Arrays.fill(touched, (byte) 1);
    long after = MemInfo.selfRssBytes();
    assertTrue(before > 0 && after < MemInfo.totalBytes(), before + " then " + after);
    assertTrue(after - before >= (24 << 20), "32 MiB touched, resident grew by " + (after - before) + " bytes (" + touched[7] + ")");
  }
}
