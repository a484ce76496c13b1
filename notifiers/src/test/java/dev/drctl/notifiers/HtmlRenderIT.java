package dev.drctl.notifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Renders the FAILOVER_COMPLETED HTML body in headless Chromium and keeps the screenshot
 * ({@code target/notification-screenshots/failover-completed.png}) for a person to look at. Skipped, with the
 * reason printed, where Chromium is not installed.
 */
class HtmlRenderIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void failoverCompletedRendersInChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            System.out.println("skipped: " + CHROMIUM + " is not installed, so the HTML body cannot be rendered here");
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed");
        var notifications = new Notifications(Fixtures.compliance(Path.of("/tmp")));
        var stamp = new JournalStamp(1842, "9f2c4be07d1a55e3c8b6a0f4e2d17c9b3a8e6f5d4c3b2a1908f7e6d5c4b3a291");
        var out = Path.of("target", "notification-screenshots").toAbsolutePath();
        Files.createDirectories(out);
        for (var n : List.of(Fixtures.failoverCompleted(notifications, "fo-20261122-0214-payments"),
                Fixtures.failoverStarted(notifications, "fo-20261122-0214-payments"))) {
            var html = out.resolve(n.kind().template() + ".html");
            var png = out.resolve(n.kind().template() + ".png");
            Files.writeString(html, new Templates().render(n, stamp).html());
            Files.deleteIfExists(png);
            var profile = Files.createTempDirectory("drctl-chromium-");
            var process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=900,1200", html.toUri().toString())
                    .redirectErrorStream(true).redirectOutput(out.resolve(n.kind().template() + ".chromium.log").toFile())
                    .start();
            try {
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            } finally {
                process.toHandle().destroyForcibly();
            }
            assertThat(png).exists();
            var bytes = Files.readAllBytes(png);
            assertThat(bytes.length).isGreaterThan(10_000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
            System.out.println("rendered " + n.kind() + " HTML to " + png + " (" + bytes.length + " bytes)");
        }
    }
}
