package dev.drctl.topology;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: any password in them replaced by {@code ***}. */
public final class JdbcUrls {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?#]*):[^@/?#]*@");

    private JdbcUrls() {
    }

    /** {@code jdbc:postgresql://u:pw@h/db?password=pw} becomes {@code jdbc:postgresql://u:***@h/db?password=***}. */
    public static String redact(String url) {
        var once = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(once).replaceAll("$1:***@");
    }
}
