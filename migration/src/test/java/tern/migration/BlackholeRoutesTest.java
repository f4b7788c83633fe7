package tern.migration;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlackholeRoutesTest {
  @Test
  void destinationsAreReadFromSpaceSeparatedRoutes() {
    assertEquals(List.of("10.79.0.5", "10.79.0.6"),
        BlackholeRoutes.destinations("blackhole 10.79.0.5 \nblackhole 10.79.0.6 proto static \n"));
  }

  @Test
  void destinationsAreReadWhateverTheWhitespaceBetweenWords() {
    assertEquals(List.of("10.79.0.5", "10.79.0.6"),
        BlackholeRoutes.destinations("blackhole\t10.79.0.5\n  blackhole \t 10.79.0.6\tproto static\n"));
  }

  @Test
  void otherRoutesAndBlankLinesAreNoDestinations() {
    assertEquals(List.of(), BlackholeRoutes.destinations("\n10.79.0.0/24 dev br0\nunreachable 10.79.0.9\n"));
  }
}
