package dev.drctl.runbooks;

import dev.drctl.compliance.RunKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A named, ordered list of steps. Immutable: adding a step (DNS after "verify-writable", a notification, a hook)
 * returns a new runbook, so each issue adds its step in one line.
 */
public record Runbook(String name, RunKind kind, List<Step> steps) {
    public Runbook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        steps = List.copyOf(steps);
        var names = new HashSet<String>();
        for (var s : steps) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("runbook " + name + " has two steps named " + s.name());
            }
        }
    }

    public List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /** This runbook with {@code added} right after the step named {@code existing}. */
    public Runbook withStepAfter(String existing, Step added) {
        return insert(indexOf(existing) + 1, added);
    }

    /** This runbook with {@code added} right before the step named {@code existing}. */
    public Runbook withStepBefore(String existing, Step added) {
        return insert(indexOf(existing), added);
    }

    /** This runbook with {@code added} as its last step. */
    public Runbook withStep(Step added) {
        return insert(steps.size(), added);
    }

    private Runbook insert(int at, Step added) {
        var list = new ArrayList<>(steps);
        list.add(at, added);
        return new Runbook(name, kind, list);
    }

    private int indexOf(String stepName) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(stepName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("runbook " + name + " has no step " + stepName + "; its steps: " + stepNames());
    }
}
