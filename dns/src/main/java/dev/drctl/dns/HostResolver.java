package dev.drctl.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a node's host name into addresses, for A/AAAA records. The system resolver in production. */
@FunctionalInterface
public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;

    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
