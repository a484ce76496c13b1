package dev.drctl.runbooks.drill;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.drctl.topology.DrillSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A drill's schedule as times: the previous and next runs, in the compliance time zone (a "0 2 * * SUN" drill runs at
 * 02:00 where the operators are). The expression was validated when the config was read.
 */
public final class DrillCron {
    private final ExecutionTime times;
    private final ZoneId zone;

    public DrillCron(DrillSchedule schedule, ZoneId zone) {
        var type = switch (schedule.flavour()) {
            case UNIX -> CronType.UNIX;
            case QUARTZ -> CronType.QUARTZ;
        };
        this.times = ExecutionTime.forCron(new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type))
                .parse(schedule.expression()));
        this.zone = zone;
    }

    /** The latest scheduled time at or before {@code now}. */
    public Optional<Instant> previous(Instant now) {
        var at = now.atZone(zone);
        // ExecutionTime.lastExecution is strictly before: a run scheduled exactly now counts as now's
        if (times.isMatch(at.withNano(0)) && at.getNano() == 0) {
            return Optional.of(now);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The next {@code count} scheduled times after {@code now}. */
    public List<Instant> next(Instant now, int count) {
        var out = new ArrayList<Instant>();
        var at = now.atZone(zone);
        for (int i = 0; i < count; i++) {
            var next = times.nextExecution(at);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get().toInstant());
            at = next.get();
        }
        return out;
    }

    /** The scheduled times in {@code (after, upTo]}, at most {@code limit} of them, oldest first. */
    public List<Instant> between(Instant after, Instant upTo, int limit) {
        var out = new ArrayList<Instant>();
        var at = after.atZone(zone);
        while (out.size() < limit) {
            var next = times.nextExecution(at);
            if (next.isEmpty() || next.get().toInstant().isAfter(upTo)) {
                break;
            }
            out.add(next.get().toInstant());
            at = next.get();
        }
        return out;
    }
}
