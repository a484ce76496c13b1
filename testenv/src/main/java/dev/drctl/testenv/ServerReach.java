package dev.drctl.testenv;

import dev.drctl.topology.DrctlException;
import java.util.List;

/**
 * Where each server of a local topology listens besides {@code 127.0.0.1}, and how many connections it takes: for a
 * benchmark that points thousands of node entries at a few servers through distinct loopback addresses. Only
 * 127.0.0.0/8 is accepted, never a wildcard or another interface. Not recorded in {@code testenv.json}: a topology
 * attached from another process restarts its servers on 127.0.0.1 only.
 *
 * @param listenAlso     per node, primary first: addresses in 127.0.0.0/8 the server listens on too (empty: none)
 * @param maxConnections the servers' {@code max_connections}; 0 keeps testenv's small default
 */
record ServerReach(List<List<String>> listenAlso, int maxConnections) {
    static final ServerReach DEFAULT = new ServerReach(List.of(), 0);
    /** PostgreSQL's MAXLISTEN is 64 sockets; 127.0.0.1 takes one. */
    static final int POSTGRES_MAX_EXTRA = 63;

    ServerReach {
        listenAlso = listenAlso.stream().map(List::copyOf).toList();
        if (maxConnections < 0) {
            throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "max connections must not be negative: "
                    + maxConnections);
        }
        for (var addresses : listenAlso) {
            for (var address : addresses) {
                if (!isLoopback(address)) {
                    throw new DrctlException(TestenvErrorCode.BAD_REQUEST, "'" + address + "' is not an IPv4 address"
                            + " in 127.0.0.0/8: local servers listen on loopback addresses only");
                }
            }
        }
    }

    /** The addresses of the node at {@code index} (0 = primary), {@code 127.0.0.1} first. */
    List<String> addressesOf(int index) {
        var extra = index < listenAlso.size() ? listenAlso.get(index) : List.<String>of();
        var all = new java.util.ArrayList<String>(extra.size() + 1);
        all.add(LoopbackPorts.HOST);
        extra.stream().filter(a -> !a.equals(LoopbackPorts.HOST)).forEach(all::add);
        return all;
    }

    private static boolean isLoopback(String address) {
        var parts = address.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (var p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
