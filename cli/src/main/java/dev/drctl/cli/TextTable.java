package dev.drctl.cli;

import java.io.PrintWriter;
import java.util.List;

/** Renders rows as aligned columns (the first row is the header), the way every table command prints. */
final class TextTable {
    private TextTable() {
    }

    static void print(PrintWriter out, List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        var widths = new int[rows.stream().mapToInt(List::size).max().orElse(0)];
        for (var row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (var row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
