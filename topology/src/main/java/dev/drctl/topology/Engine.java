package dev.drctl.topology;

/** The database engine of a cluster; MySQL and MariaDB differ in GTIDs and replication syntax. */
public enum Engine {
    POSTGRESQL("postgresql"),
    MYSQL("mysql"),
    MARIADB("mariadb");

    private final String configName;

    Engine(String configName) {
        this.configName = configName;
    }

    /** The spelling used in the config file. */
    public String configName() {
        return configName;
    }
}
