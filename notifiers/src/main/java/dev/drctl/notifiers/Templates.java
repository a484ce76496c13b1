package dev.drctl.notifiers;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message templates, kept as resources under {@code dev/drctl/notifiers/templates/}: for each kind a
 * {@code <kind>.txt} and a {@code <kind>.html}, sharing partials ({@code {{> _facts}}}). Mustache (JMustache):
 * HTML templates escape every value, text templates do not; a template naming a value the notification does
 * not carry fails loudly rather than printing a blank. Compiled once; rendering is thread-safe.
 */
public final class Templates {
    private static final String ROOT = "templates/";

    private final Map<NotificationKind, Template> text = new EnumMap<>(NotificationKind.class);
    private final Map<NotificationKind, Template> html = new EnumMap<>(NotificationKind.class);

    public Templates() {
        var textCompiler = Mustache.compiler().emptyStringIsFalse(true).escapeHTML(false).withLoader(name -> resource(name + ".txt"));
        var htmlCompiler = Mustache.compiler().emptyStringIsFalse(true).escapeHTML(true).withLoader(name -> resource(name + ".html"));
        for (var kind : NotificationKind.values()) {
            text.put(kind, compile(textCompiler, kind.template() + ".txt"));
            html.put(kind, compile(htmlCompiler, kind.template() + ".html"));
        }
    }

    public RenderedMessage render(Notification n, JournalStamp stamp) {
        var model = new LinkedHashMap<String, Object>(n.values());
        model.put("journalSeq", stamp.seq());
        model.put("journalHash", stamp.hash());
        model.put("journalHashShort", stamp.shortHash());
        model.put("kindLabel", n.kind().name().replace('_', ' '));
        model.put("accent", switch (n.kind().severity()) {
            case OK -> "#1a7f37";
            case WARNING -> "#9a6700";
            case CRITICAL -> "#cf222e";
        });
        return new RenderedMessage(n.subject(), text.get(n.kind()).execute(model), html.get(n.kind()).execute(model));
    }

    private static Template compile(Mustache.Compiler compiler, String name) {
        try (var reader = resource(name)) {
            return compiler.compile(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("template " + name + " cannot be read", e);
        }
    }

    private static Reader resource(String name) {
        var in = Templates.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            // a missing template is a packaging bug of drctl itself, found by the template tests
            throw new IllegalStateException("notification template " + ROOT + name + " is missing from the drctl jar");
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
