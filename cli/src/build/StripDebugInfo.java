import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the shipped jar (run by cli/pom.xml after the shade plugin, on JDK 24+, in source-file mode): drops
 * the debugger's attributes from the dependencies' class files, the way {@code jlink --strip-debug} does for a
 * runtime image, with the JDK's own class-file API. drctl's own classes are left as compiled.
 *
 * <p>Dropped from every dependency: local variable tables (only a debugger reads them; parameter names that
 * libraries read at run time live in MethodParameters, kept). Dropped from all but the KEEP_LINES prefixes: line
 * number tables, so a stack trace through, say, Jackson shows {@code (ObjectMapper.java)} without the line; the
 * database drivers, the pool and the ZooKeeper client, whose traces an operator sends in, keep their lines. Source
 * file names stay everywhere. The bytecode is not touched: each method's code and stack map frames are checked
 * identical after the transform, and the build fails otherwise. Entries are rewritten in the same order (the
 * manifest stays first) at the highest deflate level.
 *
 * <p>Usage: {@code java StripDebugInfo.java JAR [KEEP_LINES_PREFIX | !PREFIX]...}; a class keeps its line numbers
 * when its path starts with a KEEP_LINES_PREFIX and with no {@code !PREFIX}. The jar is replaced in place.
 */
public final class StripDebugInfo {
    private static final String OWN = "dev/drctl/";

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java StripDebugInfo.java JAR [KEEP_LINES_PREFIX | !PREFIX]...");
            System.exit(2);
        }
        var jar = Path.of(args[0]);
        var keepLines = List.of(args).subList(1, args.length);
        var allDebug = ClassFile.of(ClassFile.DebugElementsOption.DROP_DEBUG, ClassFile.LineNumbersOption.DROP_LINE_NUMBERS);
        var localsOnly = ClassFile.of(ClassFile.DebugElementsOption.DROP_DEBUG);
        var plain = ClassFile.of();
        long before = Files.size(jar);
        int stripped = 0;
        var tmp = jar.resolveSibling(jar.getFileName() + ".strip.tmp");
        try (var in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(jar)));
             var out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.setLevel(9);
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                var name = e.getName();
                if (name.endsWith(".class") && !name.startsWith(OWN) && !name.endsWith("module-info.class")) {
                    var cf = keepsLines(name, keepLines) ? localsOnly : allDebug;
                    // Rebuilding each method body through the parsing options is what drops the debug elements;
                    // unchanged code keeps its original stack maps (checked below).
                    var result = cf.transformClass(cf.parse(bytes), ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
                    sameCode(name, plain.parse(bytes), plain.parse(result));
                    bytes = result;
                    stripped++;
                }
                var copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("strip-debug: %s: %d dependency classes without debug tables, %,d -> %,d bytes%n",
                jar.getFileName(), stripped, before, Files.size(jar));
    }

    /** Whether a class keeps its line numbers: it starts with a prefix given and with none given as {@code !prefix}. */
    private static boolean keepsLines(String name, List<String> prefixes) {
        return prefixes.stream().anyMatch(p -> !p.startsWith("!") && name.startsWith(p))
                && prefixes.stream().noneMatch(p -> p.startsWith("!") && name.startsWith(p.substring(1)));
    }

    /** Fails the build unless every method kept its bytecode, exception table and stack map frames byte for byte. */
    private static void sameCode(String name, ClassModel before, ClassModel after) {
        if (before.methods().size() != after.methods().size()) {
            throw new IllegalStateException(name + ": method count changed");
        }
        for (int i = 0; i < before.methods().size(); i++) {
            MethodModel m = before.methods().get(i);
            var a = m.findAttribute(Attributes.code());
            var b = after.methods().get(i).findAttribute(Attributes.code());
            if (a.isPresent() != b.isPresent()) {
                throw new IllegalStateException(name + "." + m.methodName() + ": code presence changed");
            }
            if (a.isEmpty()) {
                continue;
            }
            CodeAttribute x = a.get(), y = b.get();
            boolean same = Arrays.equals(x.codeArray(), y.codeArray())
                    && x.maxStack() == y.maxStack() && x.maxLocals() == y.maxLocals()
                    && x.exceptionHandlers().size() == y.exceptionHandlers().size()
                    && frames(x).equals(frames(y));
            if (!same) {
                throw new IllegalStateException(name + "." + m.methodName() + m.methodType() + ": bytecode changed");
            }
        }
    }

    private static String frames(CodeAttribute code) {
        return code.findAttribute(Attributes.stackMapTable())
                .map(t -> t.entries().stream()
                        .map(f -> f.frameType() + "@" + code.labelToBci(f.target()) + f.locals() + f.stack())
                        .toList().toString())
                // an uninitialised type names its label with the code model's identity: compare positions only
                .map(s -> s.replaceAll("context=CodeModel\\[id=\\d+], ", ""))
                .orElse("");
    }
}
