package io.ortune.pipeline;

import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** The versions a manifest records: ortune (from the build), ONNX Runtime (when it loads), Java. */
final class Versions {

    private Versions() {
    }

    static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ortune", ortune());
        v.put("onnxruntime", OrtRuntime.isAvailable() ? OrtRuntime.get().version() : "unavailable");
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    static String ortune() {
        try (InputStream in = Versions.class.getResourceAsStream("ortune-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String s = p.getProperty("version", "dev");
            return s.startsWith("${") ? "dev" : s;
        } catch (IOException e) {
            return "dev";
        }
    }
}
