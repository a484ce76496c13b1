package dev.drctl.dns;

import dev.drctl.topology.DnsSpec.RecordType;
import dev.drctl.topology.NodeSpec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a record must hold to point at a node: its host name for a CNAME, its addresses for A/AAAA. A host
 * name never goes into an A/AAAA record (DESIGN.md, mistake 7): it is resolved, or the change is refused.
 */
public final class RecordValues {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final HostResolver resolver;
    private final boolean strictDns;

    /**
     * @param strictDns true for providers that publish to real DNS (Route53): a CNAME must then name a host,
     *                  never an address literal. File and exec consumers are tools that take either.
     */
    public RecordValues(HostResolver resolver, boolean strictDns) {
        this.resolver = resolver;
        this.strictDns = strictDns;
    }

    /**
     * The values for {@code node}.
     *
     * @throws DnsException {@link DnsErrorCode#TARGET_UNUSABLE} when they cannot be had; the message says why
     */
    public List<String> of(RecordType type, NodeSpec node) {
        var host = node.host();
        return switch (type) {
            case CNAME -> {
                if (strictDns && isAddressLiteral(host)) {
                    throw new DnsException(DnsErrorCode.TARGET_UNUSABLE, "node " + node.name() + " has the address "
                            + host + " as its host; a CNAME must name a host. Use type A/AAAA for the record, or give "
                            + "the node its DNS name in the config");
                }
                yield List.of(host);
            }
            case A -> addresses(node, Inet4Address.class, "A", "IPv4");
            case AAAA -> addresses(node, Inet6Address.class, "AAAA", "IPv6");
        };
    }

    private List<String> addresses(NodeSpec node, Class<? extends InetAddress> family, String type, String familyName) {
        var host = node.host();
        List<InetAddress> found;
        try {
            found = isAddressLiteral(host) ? List.of(InetAddress.getByName(host)) : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new DnsException(DnsErrorCode.TARGET_UNUSABLE, "node " + node.name() + " host " + host
                    + " does not resolve, and an " + type + " record needs addresses, never a host name; fix the name "
                    + "or give the node's address as its host", e);
        }
        var values = found.stream().filter(family::isInstance).map(RecordValues::text).distinct().sorted().toList();
        if (values.isEmpty()) {
            throw new DnsException(DnsErrorCode.TARGET_UNUSABLE, "node " + node.name() + " host " + host
                    + " has no " + familyName + " address (found " + found.stream().map(RecordValues::text).toList()
                    + "); an " + type + " record cannot point at it");
        }
        return values;
    }

    private static String text(InetAddress a) {
        var s = a.getHostAddress();
        var zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    /** An IPv4 dotted quad or an IPv6 literal (which never resolves through DNS, so no lookup happens). */
    public static boolean isAddressLiteral(String host) {
        return IPV4.matcher(host).matches() || host.contains(":");
    }
}
