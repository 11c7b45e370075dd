package io.ortune.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A file a stage read or wrote, by content.
 *
 * @param name   what it is to the stage ({@code model}, {@code data}, {@code adapter/adapter_config.json})
 * @param path   where it is: relative to the stage folder for outputs, absolute for inputs
 * @param sha256 its SHA-256, hex
 * @param bytes  its size
 */
public record FileHash(String name, String path, String sha256, long bytes) {

    /** {@code file} hashed; a folder gives one entry per file under it ({@code name/relative/path}). */
    static List<FileHash> of(String name, Path file, String shownPath) throws IOException {
        List<FileHash> out = new ArrayList<>();
        if (Files.isDirectory(file)) {
            try (var walk = Files.walk(file)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = file.relativize(f).toString().replace('\\', '/');
                    out.add(new FileHash(name + "/" + rel, shownPath + "/" + rel, sha256(f), Files.size(f)));
                }
            }
        } else {
            out.add(new FileHash(name, shownPath, sha256(file), Files.size(file)));
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
