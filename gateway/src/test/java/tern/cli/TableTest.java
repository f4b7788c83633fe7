package tern.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableTest {
  @Test
  void aCpuModelLosesTrademarksCommonWordsAndTheClockAndFitsAColumn() {
    assertEquals("Intel Core2 Duo E8400", Table.cpuModel("Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz"));
    assertEquals("Intel Core i7-4770", Table.cpuModel("Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz"));
    assertEquals("AMD EPYC", Table.cpuModel("AMD EPYC"));
    assertEquals("Intel Core (Haswell, no TSX)", Table.cpuModel("Intel Core Processor (Haswell, no TSX)"));
    assertEquals("AMD Ryzen 7 PRO 4750U with Rade…", Table.cpuModel("AMD Ryzen 7 PRO 4750U with Radeon Graphics"));
    assertEquals("-", Table.cpuModel(null));
  }
}
