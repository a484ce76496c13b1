package dev.drctl.cli;

import java.io.IOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version Maven wrote into the jar. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        var props = new Properties();
        try (var in = VersionProvider.class.getResourceAsStream("/drctl-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        }
        return new String[] {"drctl " + props.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
