package dev.drctl.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * "Did you mean": the visible subcommands within a small edit distance of what was typed. picocli's own ranking
 * (cosine similarity of letter pairs) misses transpositions such as {@code dwon} for {@code down}, the commonest typo,
 * so commands are matched by edit distance counting a swap of neighbours as one edit.
 */
final class Suggestions {
    private Suggestions() {
    }

    /** The visible subcommands of {@code parent} close to {@code typed}, closest first; at most three. */
    static List<String> commands(CommandLine parent, String typed) {
        var visible = parent.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                .map(Map.Entry::getKey).distinct().toList();
        int allowed = Math.max(1, typed.length() / 3);
        return visible.stream().filter(n -> distance(typed, n) <= allowed)
                .sorted(Comparator.comparingInt((String n) -> distance(typed, n)).thenComparing(n -> n))
                .limit(3).toList();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost one each. */
    static int distance(String a, String b) {
        var d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
