package dev.drctl.cli;

import picocli.CommandLine;

/** Gives every command that wants it the {@link Host}; other classes are built the default way. */
final class CommandFactory implements CommandLine.IFactory {
    private final Host host;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Host host) {
        this.host = host;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            var ctor = cls.getDeclaredConstructor(Host.class);
            ctor.setAccessible(true);
            return ctor.newInstance(host);
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
    }
}
