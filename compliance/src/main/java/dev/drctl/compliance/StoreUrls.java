package dev.drctl.compliance;

import java.util.regex.Pattern;

/** Store URLs as they may be shown: any password in them replaced by {@code ***}. */
final class StoreUrls {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private StoreUrls() {
    }

    static String redact(String url) {
        return USERINFO.matcher(PASSWORD.matcher(url).replaceAll("$1***")).replaceAll("$1***@");
    }
}
