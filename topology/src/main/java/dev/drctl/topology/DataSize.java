package dev.drctl.topology;

/** A size in bytes, written in the config as {@code 16MB}, {@code 512kB}, {@code 1GB} (powers of 1024). */
public record DataSize(long bytes) {
    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }

    @Override
    public String toString() {
        if (bytes != 0 && bytes % (1L << 30) == 0) return bytes / (1L << 30) + "GB";
        if (bytes != 0 && bytes % (1L << 20) == 0) return bytes / (1L << 20) + "MB";
        if (bytes != 0 && bytes % (1L << 10) == 0) return bytes / (1L << 10) + "kB";
        return bytes + "B";
    }
}
