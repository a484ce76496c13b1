package dev.drctl.cli;

import java.io.IOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version Maven wrote into the jar. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        return new String[] {"drctl " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }

    /**
     * The jar manifest's Implementation-Version, which the class loader has read already; the properties file Maven
     * filters where there is no such manifest (the classes directory of a build).
     */
    private static String version() throws IOException {
        var fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        var props = new Properties();
        try (var in = VersionProvider.class.getResourceAsStream("/drctl-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        }
        return props.getProperty("version", "unknown");
    }
}
