package dev.drctl.compliance;

import dev.drctl.topology.ClusterSpec;
import dev.drctl.topology.DrctlConfig;
import dev.drctl.topology.DrctlException;
import dev.drctl.topology.SecretRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values of every secret the config references that can be resolved now, for the journal's defensive
 * check (a payload containing one is refused). Unresolvable references are skipped: they cannot leak.
 */
public final class ConfiguredSecrets {
    private ConfiguredSecrets() {
    }

    public static Set<String> resolvable(DrctlConfig config, Map<String, String> environment) {
        var refs = new ArrayList<SecretRef>();
        for (ClusterSpec cluster : config.clusters()) {
            cluster.credentials().password().ifPresent(refs::add);
        }
        config.notifications().email().flatMap(e -> e.password()).ifPresent(refs::add);
        config.notifications().webhooks().forEach(w -> w.secret().ifPresent(refs::add));
        var values = new HashSet<String>();
        for (var ref : refs) {
            try {
                values.add(ref.resolve(environment));
            } catch (DrctlException unresolvable) {
                // not set in this process: nothing to guard against
            }
        }
        return values;
    }
}
