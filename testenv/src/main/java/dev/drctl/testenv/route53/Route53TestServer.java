package dev.drctl.testenv.route53;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A Route53 stand-in on 127.0.0.1 that the real AWS SDK talks to through an endpoint override. It speaks the REST/XML
 * API version {@code 2013-04-01} for {@code ChangeResourceRecordSets}, {@code GetChange},
 * {@code ListResourceRecordSets}, {@code GetHostedZone} and {@code ListHostedZones}:
 * <ul>
 *   <li>hosted zones with record sets; a change is visible to {@code ListResourceRecordSets} at once and becomes
 *       {@code INSYNC} after {@link #insyncAfter a configurable delay} (Route53's propagation);</li>
 *   <li>changes are validated as Route53 does for the cases drctl cares about: an A record holds IPv4 addresses
 *       only, an AAAA record IPv6 only, a CNAME exactly one value — a host name in an A record is refused with
 *       {@code InvalidChangeBatch};</li>
 *   <li>every request must carry a SigV4 {@code Authorization} header ({@code AWS4-HMAC-SHA256 Credential=…,
 *       SignedHeaders=…, Signature=…}) and {@code X-Amz-Date}, else 403 — the signature itself is not checked
 *       (the server does not know the secret);</li>
 *   <li>injectable faults: {@link #failNext} (throttling, {@code PriorRequestNotComplete}, 5xx) for the next N
 *       calls, {@link #failUntilCleared}, {@link #slowResponses}, each optionally for one action only;</li>
 *   <li>every call is recorded ({@link #calls()}).</li>
 * </ul>
 * Run standalone with {@link #main}: it prints the endpoint and a zone id and serves until killed.
 */
public final class Route53TestServer implements AutoCloseable {
    /** The API version in every path and the XML namespace. */
    public static final String VERSION = "2013-04-01";
    private static final String NS = "https://route53.amazonaws.com/doc/" + VERSION + "/";
    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=[^/\\s]+/\\d{8}/[^/]+/route53/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?"
                    + "Signature=[0-9a-f]{64}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private final HttpServer http;
    private final ExecutorService executor;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong(1000);

    private final Object lock = new Object();
    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private final Map<String, ChangeRecord> changes = new HashMap<>();
    private final List<Route53Call> calls = new ArrayList<>();
    private final Deque<ArmedFault> faults = new ArrayDeque<>();
    private Duration insyncDelay = Duration.ZERO;
    private Duration slowBy = Duration.ZERO;
    private Optional<String> slowAction = Optional.empty();

    private Route53TestServer(HttpServer http, ExecutorService executor, Clock clock) {
        this.http = http;
        this.executor = executor;
        this.clock = clock;
    }

    /** Starts on 127.0.0.1 on a free port. */
    public static Route53TestServer start() {
        return start(0, Clock.systemUTC());
    }

    public static Route53TestServer start(int port, Clock clock) {
        try {
            var http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            // Virtual threads: a slowed answer must not hold up the next request.
            var executor = Executors.newVirtualThreadPerTaskExecutor();
            http.setExecutor(executor);
            var server = new Route53TestServer(http, executor, clock);
            http.createContext("/", server::handle);
            http.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Route53 test server on 127.0.0.1:" + port + ": " + e, e);
        }
    }

    /** The URL to give the SDK's endpoint override (and drctl's {@code dns.endpoint}). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** Creates a hosted zone for {@code domain} and returns its id (e.g. {@code Z1001TESTENV}). */
    public String createHostedZone(String domain) {
        synchronized (lock) {
            var id = "Z" + ids.incrementAndGet() + "TESTENV";
            zones.put(id, new Zone(id, fqdn(domain), new TreeMap<>(RecordKey.ORDER)));
            return id;
        }
    }

    /** Changes stay PENDING this long after submission, then report INSYNC. */
    public void insyncAfter(Duration delay) {
        synchronized (lock) {
            insyncDelay = delay;
        }
    }

    /** Answers the next {@code count} calls (of any action) with {@code fault}. */
    public void failNext(int count, Route53Fault fault) {
        failNext(count, fault, null);
    }

    /** Answers the next {@code count} calls of {@code action} (e.g. {@code ChangeResourceRecordSets}) with {@code fault}. */
    public void failNext(int count, Route53Fault fault, String action) {
        synchronized (lock) {
            faults.add(new ArmedFault(fault, Optional.ofNullable(action), count));
        }
    }

    /** Answers every call (of {@code action}, or any when null) with {@code fault} until {@link #clearFaults()}. */
    public void failUntilCleared(Route53Fault fault, String action) {
        failNext(Integer.MAX_VALUE, fault, action);
    }

    /** Delays every answer (of {@code action}, or any when null) by {@code delay}; {@code Duration.ZERO} stops it. */
    public void slowResponses(Duration delay, String action) {
        synchronized (lock) {
            slowBy = delay;
            slowAction = Optional.ofNullable(action);
        }
    }

    /** Removes every injected fault and delay. */
    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
            slowBy = Duration.ZERO;
            slowAction = Optional.empty();
        }
    }

    /** Every call so far, oldest first. */
    public List<Route53Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** How many calls of {@code action} were received. */
    public long callCount(String action) {
        return calls().stream().filter(c -> c.action().equals(action)).count();
    }

    /** The comments of the changes submitted so far, oldest first. */
    public List<String> changeComments() {
        synchronized (lock) {
            return changes.values().stream().sorted(Comparator.comparing(ChangeRecord::submittedAt))
                    .map(ChangeRecord::comment).toList();
        }
    }

    /** Sets a record directly, as if someone changed it outside drctl (for drift tests). */
    public void putRecord(String zoneId, String name, String type, long ttl, List<String> values) {
        synchronized (lock) {
            zone(zoneId).records().put(new RecordKey(fqdn(name), type), new RecordSet(fqdn(name), type, ttl, List.copyOf(values)));
        }
    }

    /** The record as the zone holds it: values in the order written. */
    public Optional<RecordSet> record(String zoneId, String name, String type) {
        synchronized (lock) {
            return Optional.ofNullable(zone(zoneId).records().get(new RecordKey(fqdn(name), type)));
        }
    }

    private Zone zone(String zoneId) {
        var z = zones.get(bare(zoneId, "/hostedzone/"));
        if (z == null) {
            throw new IllegalArgumentException("no hosted zone " + zoneId);
        }
        return z;
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var method = ex.getRequestMethod();
            var path = ex.getRequestURI().getRawPath();
            var query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var action = action(method, path);
            var auth = ex.getRequestHeaders().getFirst("Authorization");
            var signed = auth != null && SIGV4.matcher(auth).find() && ex.getRequestHeaders().getFirst("X-Amz-Date") != null;
            Answer answer;
            String faultName = "";
            Duration delay;
            synchronized (lock) {
                delay = slowAction.map(a -> a.equals(action)).orElse(true) ? slowBy : Duration.ZERO;
                var fault = signed ? takeFault(action) : Optional.<Route53Fault>empty();
                if (!signed) {
                    answer = error(403, auth == null ? "MissingAuthenticationToken" : "IncompleteSignature",
                            auth == null ? "Missing Authentication Token" : "The request signature is not AWS SigV4");
                } else if (fault.isPresent()) {
                    faultName = fault.get().name();
                    answer = error(fault.get().status, fault.get().code, fault.get().message);
                } else {
                    answer = dispatch(action, path, query, body);
                }
                calls.add(new Route53Call(clock.instant(), method, path, query, action, signed, answer.status(), faultName,
                        body));
            }
            if (!delay.isZero()) {
                waitFor(delay);
            }
            var bytes = answer.xml().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml");
            ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            ex.sendResponseHeaders(answer.status(), bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    /** A slow answer, without spinning; the server's close interrupts it. */
    private static void waitFor(Duration delay) {
        try {
            new CountDownLatch(1).await(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Route53Fault> takeFault(String action) {
        for (var it = faults.iterator(); it.hasNext(); ) {
            var f = it.next();
            if (f.action().map(a -> a.equals(action)).orElse(true)) {
                if (f.remaining() != Integer.MAX_VALUE) {
                    f.remaining--;
                    if (f.remaining() <= 0) {
                        it.remove();
                    }
                }
                return Optional.of(f.fault());
            }
        }
        return Optional.empty();
    }

    private static String action(String method, String path) {
        var p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        var base = "/" + VERSION;
        if (p.matches(Pattern.quote(base) + "/hostedzone/[^/]+/rrset")) {
            return method.equals("POST") ? "ChangeResourceRecordSets" : "ListResourceRecordSets";
        }
        if (p.matches(Pattern.quote(base) + "/change/[^/]+") && method.equals("GET")) {
            return "GetChange";
        }
        if (p.matches(Pattern.quote(base) + "/hostedzone/[^/]+") && method.equals("GET")) {
            return "GetHostedZone";
        }
        if (p.equals(base + "/hostedzone") && method.equals("GET")) {
            return "ListHostedZones";
        }
        return "Unknown";
    }

    private Answer dispatch(String action, String path, String query, String body) {
        var parts = path.split("/");
        return switch (action) {
            case "ChangeResourceRecordSets" -> changeRecordSets(parts[3], body);
            case "ListResourceRecordSets" -> listRecordSets(parts[3], params(query));
            case "GetChange" -> getChange(parts[3]);
            case "GetHostedZone" -> getHostedZone(parts[3]);
            case "ListHostedZones" -> listHostedZones();
            default -> error(404, "UnknownOperation", "this test server does not implement " + path);
        };
    }

    private Answer changeRecordSets(String zoneId, String body) {
        var zone = zones.get(bare(zoneId, "/hostedzone/"));
        if (zone == null) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        Document doc;
        try {
            doc = parse(body);
        } catch (Exception e) {
            return error(400, "MalformedInput", "cannot parse the request body: " + e.getMessage());
        }
        var comment = text(doc.getDocumentElement(), "Comment").orElse("");
        var planned = new ArrayList<Runnable>();
        var problems = new ArrayList<String>();
        var changeList = doc.getElementsByTagName("Change");
        if (changeList.getLength() == 0) {
            problems.add("the change batch has no Change");
        }
        for (int i = 0; i < changeList.getLength(); i++) {
            var change = (Element) changeList.item(i);
            var act = text(change, "Action").orElse("");
            var rrs = (Element) change.getElementsByTagName("ResourceRecordSet").item(0);
            if (rrs == null) {
                problems.add("a Change has no ResourceRecordSet");
                continue;
            }
            var name = fqdn(text(rrs, "Name").orElse(""));
            var type = text(rrs, "Type").orElse("");
            var ttl = Long.parseLong(text(rrs, "TTL").orElse("0"));
            var values = new ArrayList<String>();
            var vs = rrs.getElementsByTagName("Value");
            for (int j = 0; j < vs.getLength(); j++) {
                values.add(vs.item(j).getTextContent().trim());
            }
            if (!name.equals(zone.name()) && !name.endsWith("." + zone.name())) {
                problems.add("RRSet with DNS name " + name + " is not permitted in zone " + zone.name());
            }
            problems.addAll(validate(name, type, values));
            var key = new RecordKey(name, type);
            switch (act) {
                case "UPSERT" -> planned.add(() -> zone.records().put(key, new RecordSet(name, type, ttl, values)));
                case "CREATE" -> {
                    if (zone.records().containsKey(key)) {
                        problems.add("Tried to create resource record set [name='" + name + "', type='" + type
                                + "'] but it already exists");
                    }
                    planned.add(() -> zone.records().put(key, new RecordSet(name, type, ttl, values)));
                }
                case "DELETE" -> {
                    if (!zone.records().containsKey(key)) {
                        problems.add("Tried to delete resource record set [name='" + name + "', type='" + type
                                + "'] but it was not found");
                    }
                    planned.add(() -> zone.records().remove(key));
                }
                default -> problems.add("unknown Action '" + act + "'");
            }
        }
        if (!problems.isEmpty()) {
            return invalidChangeBatch(problems);
        }
        planned.forEach(Runnable::run);
        var id = "C" + ids.incrementAndGet() + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase(Locale.ROOT);
        var change = new ChangeRecord(id, clock.instant(), comment);
        changes.put(id, change);
        return new Answer(200, xml("ChangeResourceRecordSetsResponse", changeInfo(change)));
    }

    private static List<String> validate(String name, String type, List<String> values) {
        var problems = new ArrayList<String>();
        if (values.isEmpty()) {
            problems.add("RRSet of type " + type + " with DNS name " + name + " has no ResourceRecords");
        }
        switch (type) {
            case "A" -> values.stream().filter(v -> !IPV4.matcher(v).matches()).forEach(v ->
                    problems.add("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '" + v + "'"));
            case "AAAA" -> values.stream().filter(v -> !v.contains(":") || !v.matches("[0-9a-fA-F:.]+")).forEach(v ->
                    problems.add("AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '" + v + "'"));
            case "CNAME" -> {
                if (values.size() > 1) {
                    problems.add("RRSet of type CNAME with DNS name " + name + " is not permitted because it has more "
                            + "than one value");
                }
            }
            default -> {
                // other types are stored as given
            }
        }
        return problems;
    }

    private Answer listRecordSets(String zoneId, Map<String, String> params) {
        var zone = zones.get(bare(zoneId, "/hostedzone/"));
        if (zone == null) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + zoneId);
        }
        int max = Integer.parseInt(params.getOrDefault("maxitems", "300"));
        var start = params.containsKey("name") ? new RecordKey(fqdn(params.get("name")), params.getOrDefault("type", ""))
                : null;
        var selected = start == null ? zone.records().values().stream().toList()
                : zone.records().tailMap(start, true).values().stream().toList();
        var page = selected.stream().limit(max).toList();
        var sb = new StringBuilder("<ResourceRecordSets>");
        page.forEach(rs -> sb.append(recordSetXml(rs)));
        sb.append("</ResourceRecordSets>");
        sb.append("<IsTruncated>").append(selected.size() > max).append("</IsTruncated>");
        if (selected.size() > max) {
            var next = selected.get(max);
            sb.append("<NextRecordName>").append(esc(next.name())).append("</NextRecordName>");
            sb.append("<NextRecordType>").append(esc(next.type())).append("</NextRecordType>");
        }
        sb.append("<MaxItems>").append(max).append("</MaxItems>");
        return new Answer(200, xml("ListResourceRecordSetsResponse", sb.toString()));
    }

    private Answer getChange(String id) {
        var change = changes.get(bare(id, "/change/"));
        if (change == null) {
            return error(404, "NoSuchChange", "A change with the specified change ID does not exist.");
        }
        return new Answer(200, xml("GetChangeResponse", changeInfo(change)));
    }

    private Answer getHostedZone(String id) {
        var zone = zones.get(bare(id, "/hostedzone/"));
        if (zone == null) {
            return error(404, "NoSuchHostedZone", "No hosted zone found with ID: " + id);
        }
        return new Answer(200, xml("GetHostedZoneResponse", zoneXml(zone)
                + "<DelegationSet><NameServers><NameServer>ns-1.testenv.local</NameServer></NameServers></DelegationSet>"));
    }

    private Answer listHostedZones() {
        var sb = new StringBuilder("<HostedZones>");
        zones.values().forEach(z -> sb.append(zoneXml(z)));
        sb.append("</HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>");
        return new Answer(200, xml("ListHostedZonesResponse", sb.toString()));
    }

    private String zoneXml(Zone z) {
        return "<HostedZone><Id>/hostedzone/" + z.id() + "</Id><Name>" + esc(z.name()) + "</Name><CallerReference>drctl-"
                + z.id() + "</CallerReference><Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>"
                + z.records().size() + "</ResourceRecordSetCount></HostedZone>";
    }

    private String changeInfo(ChangeRecord change) {
        var insync = !clock.instant().isBefore(change.submittedAt().plus(insyncDelay));
        return "<ChangeInfo><Id>/change/" + change.id() + "</Id><Status>" + (insync ? "INSYNC" : "PENDING")
                + "</Status><SubmittedAt>" + change.submittedAt() + "</SubmittedAt>"
                + (change.comment().isEmpty() ? "" : "<Comment>" + esc(change.comment()) + "</Comment>") + "</ChangeInfo>";
    }

    private static String recordSetXml(RecordSet rs) {
        var sb = new StringBuilder("<ResourceRecordSet><Name>").append(esc(rs.name())).append("</Name><Type>")
                .append(esc(rs.type())).append("</Type><TTL>").append(rs.ttl()).append("</TTL><ResourceRecords>");
        rs.values().forEach(v -> sb.append("<ResourceRecord><Value>").append(esc(v)).append("</Value></ResourceRecord>"));
        return sb.append("</ResourceRecords></ResourceRecordSet>").toString();
    }

    private static Answer error(int status, String code, String message) {
        var type = status >= 500 ? "Receiver" : "Sender";
        return new Answer(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>"
                + type + "</Type><Code>" + esc(code) + "</Code><Message>" + esc(message) + "</Message></Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static Answer invalidChangeBatch(List<String> problems) {
        return error(400, "InvalidChangeBatch", String.join("; ", problems));
    }

    private static String xml(String root, String inner) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root + " xmlns=\"" + NS + "\">" + inner + "</" + root + ">";
    }

    private static Document parse(String body) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Optional<String> text(Element parent, String tag) {
        var nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent().trim());
    }

    private static Map<String, String> params(String query) {
        var out = new HashMap<String, String>();
        for (var pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            var eq = pair.indexOf('=');
            var k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            var v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String fqdn(String name) {
        var n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    private static String bare(String id, String prefix) {
        return id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * Serves until killed: {@code java … Route53TestServer [PORT] [DOMAIN]}. Prints the endpoint and the zone id.
     */
    public static void main(String[] args) throws InterruptedException {
        var port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        var domain = args.length > 1 ? args[1] : "testenv.local";
        var server = start(port, Clock.systemUTC());
        var zone = server.createHostedZone(domain);
        PrintStream out = System.out;
        out.println("route53 test server: endpoint " + server.endpoint() + " hosted-zone-id " + zone + " (" + domain + ")");
        out.flush();
        new CountDownLatch(1).await();
    }

    /** A record set as the zone holds it; the name is fully qualified (trailing dot). */
    public record RecordSet(String name, String type, long ttl, List<String> values) {
    }

    private record Answer(int status, String xml) {
    }

    private record Zone(String id, String name, TreeMap<RecordKey, RecordSet> records) {
    }

    private record ChangeRecord(String id, Instant submittedAt, String comment) {
    }

    /** Route53 lists records by name with its labels reversed (com.example.www), then type. */
    private record RecordKey(String name, String type) {
        static final Comparator<RecordKey> ORDER = Comparator.comparing((RecordKey k) -> reversed(k.name()))
                .thenComparing(RecordKey::type);

        private static String reversed(String name) {
            var labels = List.of(name.split("\\."));
            var r = new ArrayList<>(labels);
            java.util.Collections.reverse(r);
            return String.join(".", r);
        }
    }

    private static final class ArmedFault {
        private final Route53Fault fault;
        private final Optional<String> action;
        private int remaining;

        ArmedFault(Route53Fault fault, Optional<String> action, int remaining) {
            this.fault = fault;
            this.action = action;
            this.remaining = remaining;
        }

        Route53Fault fault() {
            return fault;
        }

        Optional<String> action() {
            return action;
        }

        int remaining() {
            return remaining;
        }
    }
}
