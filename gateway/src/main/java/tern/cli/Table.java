package tern.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with aligned columns, as ps and squeue print. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) { rows.add(header); }

  void row(String... cells) { rows.add(cells); }

  void print() {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], String.valueOf(r[i]).length());
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String c = String.valueOf(r[i]);
        b.append(c);
        if (i < cols - 1) b.append(" ".repeat(width[i] - c.length() + 2));
      }
      System.out.println(b.toString().stripTrailing());
    }
  }

  /** A cell for a value the gateway may not have. */
  static String orDash(Object o) { return o == null ? "-" : String.valueOf(o); }

  /**
   * A CPU's model name short enough for a column: without the trademark signs, the words every model
   * has ("CPU", "Processor") and the clock, which the kernel's model name repeats from the marketing
   * name (the real clock varies): "Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz" is "Intel Core2 Duo E8400".
   */
  static String cpuModel(String model) {
    if (model == null) return "-";
    String s = model.replaceAll("\\((R|TM|tm)\\)", "").replaceAll("\\b(CPU|Processor)\\b", "")
        .replaceAll("@ *[0-9.]+ *[GM]Hz", "").replaceAll("\\s+", " ").trim();
    return s.length() <= 32 ? s : s.substring(0, 31) + "…";
  }

  static String bytes(long b) {
    if (b < 1024) return b + "B";
    if (b < 1 << 20) return String.format("%.1fK", b / 1024.0);
    if (b < 1 << 30) return String.format("%.1fM", b / 1048576.0);
    return String.format("%.2fG", b / 1073741824.0);
  }

  static String age(long s) {
    if (s < 60) return s + "s";
    if (s < 3600) return (s / 60) + "m" + (s % 60) + "s";
    return (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }
}
