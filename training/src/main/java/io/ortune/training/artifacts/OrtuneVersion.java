package io.ortune.training.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The ortune version, from the build-filtered {@code ortune-version.properties} ("dev" when absent). */
final class OrtuneVersion {

    private static final String VERSION = load();

    private OrtuneVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = OrtuneVersion.class.getResourceAsStream("ortune-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
