package dev.drctl.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drctl.topology.DaemonSpec;
import dev.drctl.topology.DrctlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code drctl reload}'s side of the endpoint: asks the running daemon, at its configured {@code daemon.listen} and
 * with its token, to reload now. A daemon bound to every address (0.0.0.0, ::) is asked on loopback.
 */
public final class DaemonClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Reading, validating and applying a config takes well under this. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** What the daemon answered. */
    public record ReloadAnswer(boolean applied, String sentence, List<String> problems, JsonNode body) {
        public ReloadAnswer {
            problems = List.copyOf(problems);
        }
    }

    private DaemonClient() {
    }

    /** The base URI of a daemon listening per {@code spec}. */
    public static URI base(DaemonSpec spec) {
        var host = switch (spec.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "0:0:0:0:0:0:0:0" -> "::1";
            default -> spec.host();
        };
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + spec.port());
    }

    /**
     * POSTs {@code /-/reload}.
     *
     * @param actor who asks ({@code user:NAME}), journaled by the daemon
     * @throws DrctlException {@link EndpointErrorCode#DAEMON_UNREACHABLE} when no daemon answers there or it refuses
     *                        the token
     */
    public static ReloadAnswer reload(URI base, Optional<String> token, String actor) {
        if (base.getPort() == 0) {
            throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "daemon.listen has port 0 (a free port taken "
                    + "at start, as in a testenv config): send the daemon SIGHUP instead (kill -HUP PID), or give "
                    + "daemon.listen a fixed port");
        }
        var request = HttpRequest.newBuilder(base.resolve("/-/reload")).timeout(REQUEST_TIMEOUT)
                .header(DaemonEndpoint.ACTOR_HEADER, actor).POST(HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try (var client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build()) {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "no drctl run answers at " + base
                    + " (connection refused); is the daemon running, and is daemon.listen in this config its address?");
        } catch (HttpTimeoutException e) {
            throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "no answer from " + base + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "cannot reach " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "interrupted while asking " + base);
        }
        switch (response.statusCode()) {
            case 401 -> throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "the daemon at " + base
                    + " refused the token (401): daemon.token in this config is not the one it was started with");
            case 404 -> throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "what answers at " + base
                    + " does not serve /-/reload (404); is it drctl run?");
            case 200, 422 -> {
                JsonNode body;
                try {
                    body = DaemonEndpoint.JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "the answer of " + base
                            + " is not drctl's JSON; is it drctl run?");
                }
                var problems = new ArrayList<String>();
                body.path("problems").forEach(p -> problems.add(p.asText()));
                return new ReloadAnswer(body.path("applied").asBoolean(false), body.path("sentence").asText(""),
                        problems, body);
            }
            default -> throw new DrctlException(EndpointErrorCode.DAEMON_UNREACHABLE, "the daemon at " + base
                    + " answered HTTP " + response.statusCode() + " to a reload; see its log");
        }
    }
}
