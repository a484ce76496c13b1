package dev.drctl.topology;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The limits on what drctl reads from outside (the config file and its secret files), and the check of a composed
 * YAML tree against them, before anything walks it: a value too long to be a setting, an alias that contains itself,
 * aliases that expand the tree far past what was written (an "alias bomb": each {@code *ref} is a whole subtree each
 * time it is visited). SnakeYAML keeps an alias as one shared node, so this walk measures the expansion without doing
 * it: each node's expanded size is counted once and remembered.
 */
public final class InputBounds {
    /** The largest config file read: a thousand clusters fit in a fraction of it. */
    public static final int MAX_CONFIG_BYTES = 1024 * 1024;
    /** The longest single value (and secret file): no setting, password or key is near it. */
    public static final int MAX_VALUE_CHARS = 64 * 1024;
    /** How many nodes aliases may add to what the file spells out (a shared default block or two, not a bomb). */
    public static final long MAX_ALIAS_EXPANSION = 10_000;
    /** How many values (keys, scalars, lists, mappings, after alias expansion) a config may hold: ~500 clusters. */
    public static final long MAX_VALUES = 50_000;
    /** The deepest nesting the parser accepts; drctl's own format is 5 levels deep. */
    public static final int MAX_NESTING = 30;
    /** How many aliases to collections the parser accepts. */
    public static final int MAX_COLLECTION_ALIASES = 100;

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<Node, Long> expanded = new IdentityHashMap<>();
    private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private Optional<Node> firstShared = Optional.empty();
    private String firstSharedField = "";

    private InputBounds(Path file) {
        this.file = file;
    }

    /** Every bound {@code root} breaks, with the line, column and field of the value (empty: within bounds). */
    static List<ConfigProblem> check(Path file, Node root) {
        var bounds = new InputBounds(file);
        long total = bounds.size(root, "");
        long written = bounds.expanded.size();
        if (written > MAX_VALUES) {
            bounds.problem(root, "", "found " + written + " values; expected at most " + MAX_VALUES
                    + " in a config file (about 500 clusters)");
        } else if (total - written > MAX_ALIAS_EXPANSION) {
            var at = bounds.firstShared.orElse(root);
            bounds.problem(at, bounds.firstSharedField, "YAML aliases (*name) expand the file to "
                    + (total >= Long.MAX_VALUE / 4 ? "an unbounded number of" : String.valueOf(total)) + " values from "
                    + written + " written; at most " + MAX_ALIAS_EXPANSION + " more are accepted (an alias bomb?); "
                    + "write the settings out instead");
        }
        return List.copyOf(bounds.problems);
    }

    private long size(Node node, String field) {
        var known = expanded.get(node);
        if (known != null) {
            if (firstShared.isEmpty()) {
                firstShared = Optional.of(node);
                firstSharedField = field;
            }
            return known;
        }
        if (!open.add(node)) {
            problem(node, field, "found an alias inside the value it names (a loop); expected a tree");
            return 0;
        }
        long total = 1;
        // SnakeYAML's node kinds are not a sealed set; a composed tree holds only these three
        if (node instanceof ScalarNode scalar) {
            if (scalar.getValue().length() > MAX_VALUE_CHARS) {
                problem(node, field, "found a value of " + scalar.getValue().length() + " characters; expected at most "
                        + MAX_VALUE_CHARS + " (64 KB)");
            }
        } else if (node instanceof MappingNode mapping) {
            for (var tuple : mapping.getValue()) {
                var key = tuple.getKeyNode();
                total = add(total, size(key, field));
                var name = key instanceof ScalarNode s && s.getValue().length() <= 64 ? s.getValue() : "?";
                total = add(total, size(tuple.getValueNode(), field.isEmpty() ? name : field + "." + name));
            }
        } else if (node instanceof SequenceNode sequence) {
            var items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                total = add(total, size(items.get(i), field + "[" + i + "]"));
            }
        }
        open.remove(node);
        expanded.put(node, total);
        return total;
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 || sum > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : sum;
    }

    private void problem(Node node, String field, String message) {
        var mark = node.getStartMark();
        problems.add(new ConfigProblem(file, mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1,
                field, message));
    }
}
