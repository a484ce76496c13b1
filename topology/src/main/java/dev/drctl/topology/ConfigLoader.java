package dev.drctl.topology;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the drctl YAML config (DESIGN.md's format) into the immutable {@link DrctlConfig} records.
 *
 * <p>The file is composed into SnakeYAML's node tree, which keeps the line and column of every key and
 * value, and validated as a whole: every problem is collected before failing, so one run shows
 * everything to fix. Nothing is clamped or silently corrected; unknown keys are errors. Secrets stay
 * {@link SecretRef}s: this class never reads an environment variable or a secret file, and no
 * message it produces contains a secret's value or a literal password found in the file.
 *
 * <p>Relative paths in the file ({@code ${file:…}} secrets, the DNS {@code file}, a relative
 * {@code jdbc:sqlite:} store) resolve against the directory of the config file.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Loads and validates a config file.
     *
     * @throws ConfigException with every problem found when the file is invalid
     * @throws DrctlException  ({@link TopologyErrorCode#BAD_CONFIG}) when it is missing or unreadable
     */
    public static DrctlConfig load(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG, "config file " + file + " not found");
        } catch (IOException e) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG,
                    "cannot read config file " + file + " (" + (e instanceof java.nio.file.AccessDeniedException
                            ? "permission denied" : "an I/O error") + ")", e);
        }
        if (attributes.isDirectory()) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG,
                    "config file " + file + " is a directory; expected a YAML file");
        }
        // A FIFO would block the read for ever and a device never end it: only a regular file is opened.
        if (!attributes.isRegularFile()) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG,
                    "config file " + file + " is not a regular file (a device, pipe or socket); expected a YAML file");
        }
        if (attributes.size() > InputBounds.MAX_CONFIG_BYTES) {
            throw tooLarge(file, attributes.size());
        }
        byte[] bytes;
        try (var in = Files.newInputStream(file)) {
            bytes = in.readNBytes(InputBounds.MAX_CONFIG_BYTES + 1);
        } catch (IOException e) {
            throw new DrctlException(TopologyErrorCode.BAD_CONFIG,
                    "cannot read config file " + file + " (" + (e instanceof java.nio.file.AccessDeniedException
                            ? "permission denied" : "an I/O error") + ")", e);
        }
        if (bytes.length > InputBounds.MAX_CONFIG_BYTES) {
            throw tooLarge(file, bytes.length);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, 1, 1, "",
                    "the file is not UTF-8 text; expected a UTF-8 YAML file")));
        }
        return parse(text, file);
    }

    private static ConfigException tooLarge(Path file, long size) {
        return new ConfigException(List.of(new ConfigProblem(file, 1, 1, "", "the file is " + size
                + " bytes; expected at most " + InputBounds.MAX_CONFIG_BYTES + " (1 MB) for a config file")));
    }

    /**
     * Validates YAML text as if it were read from {@code sourceName}, which names the file in problems
     * and is the base for relative paths.
     *
     * @throws ConfigException with every problem found
     */
    public static DrctlConfig parse(String yamlText, Path sourceName) {
        if (yamlText.length() > InputBounds.MAX_CONFIG_BYTES) {
            throw tooLarge(sourceName, yamlText.length());
        }
        Node root;
        try {
            var options = new LoaderOptions();
            options.setProcessComments(false);
            // A backstop: the text is already within the size bound, so the parser's own limit is never the message.
            options.setCodePointLimit(InputBounds.MAX_CONFIG_BYTES + 1);
            options.setMaxAliasesForCollections(InputBounds.MAX_COLLECTION_ALIASES);
            options.setNestingDepthLimit(InputBounds.MAX_NESTING);
            options.setAllowRecursiveKeys(false);
            root = new Yaml(options).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            throw new ConfigException(List.of(syntaxProblem(sourceName, e)));
        } catch (YAMLException e) {
            // Unmarked refusals are the parser's limits (aliases, nesting); their words hold no text of the file.
            throw new ConfigException(List.of(new ConfigProblem(sourceName, 1, 1, "",
                    "the YAML parser refused the file: " + clip(e.getMessage()) + "; expected at most "
                            + InputBounds.MAX_COLLECTION_ALIASES + " aliases and " + InputBounds.MAX_NESTING
                            + " levels of nesting")));
        }
        if (root == null) {
            throw new ConfigException(List.of(new ConfigProblem(sourceName, 1, 1, "",
                    "the file is empty; expected a mapping with at least clusters:")));
        }
        var bounds = InputBounds.check(sourceName, root);
        if (!bounds.isEmpty()) {
            throw new ConfigException(bounds);
        }
        var reader = new ConfigReader(sourceName);
        var config = reader.read(root);
        var problems = reader.problems();
        if (!problems.isEmpty() || config == null) {
            throw new ConfigException(problems.stream()
                    .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                    .toList());
        }
        return config;
    }

    private static String clip(String message) {
        var m = message == null ? "limit reached" : message.strip();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    // Only the parser's own words and the position: the excerpt SnakeYAML adds could show a secret.
    private static ConfigProblem syntaxProblem(Path file, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        var problem = e.getProblem() == null ? "malformed YAML" : e.getProblem();
        var context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        return new ConfigProblem(file, line, column, "", "YAML syntax error: " + problem + context);
    }
}
