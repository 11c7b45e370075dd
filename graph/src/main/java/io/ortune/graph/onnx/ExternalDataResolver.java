package io.ortune.graph.onnx;

import io.ortune.graph.ir.FileRegionData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a tensor's {@code external_data} entries into a lazy {@link FileRegionData}, refusing locations that
 * could read outside the model's folder: absolute paths, {@code ..} that climbs out, and symbolic links that
 * lead out. Checks that the file exists and holds the region; nothing is read.
 */
final class ExternalDataResolver {

    private final DecodeContext ctx;
    private final Path folder;
    private Path realFolder;
    private final Map<String, Path> resolved = new HashMap<>();

    ExternalDataResolver(DecodeContext ctx, Path folder) {
        this.ctx = ctx;
        this.folder = folder;
    }

    /**
     * The region for tensor {@code tensorName} described by {@code location}/{@code offset}/{@code length}
     * ({@code length} -1 when absent: then the tensor's own size {@code expected} is used).
     */
    FileRegionData region(String tensorName, String location, long offset, long length, long expected)
            throws OnnxFormatException {
        Path file = resolve(tensorName, location);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw ctx.fail("cannot read external data file " + file + " of tensor '" + tensorName + "': " + e, e);
        }
        long len = length < 0 ? expected : length;
        if (expected >= 0 && len != expected) {
            throw ctx.fail("tensor '" + tensorName + "' needs " + expected + " bytes but its external data entry"
                    + " (location '" + location + "') says length " + len);
        }
        if (offset < 0 || offset > size || len > size - offset) {
            throw ctx.fail("tensor '" + tensorName + "' reads bytes " + offset + ".." + (offset + len)
                    + " of external data file " + file + ", which has only " + size + " bytes");
        }
        return new FileRegionData(file, offset, len, location);
    }

    private Path resolve(String tensorName, String location) throws OnnxFormatException {
        Path cached = resolved.get(location);
        if (cached != null) {
            return cached;
        }
        if (folder == null) {
            throw ctx.fail("tensor '" + tensorName + "' keeps its data in external file '" + location
                    + "', but the model was read from memory, with no folder to look in; read it from its file");
        }
        if (location == null || location.isEmpty()) {
            throw ctx.fail("tensor '" + tensorName + "' is marked EXTERNAL but has no 'location' entry");
        }
        Path loc;
        try {
            loc = Path.of(location);
        } catch (InvalidPathException e) {
            throw ctx.fail("tensor '" + tensorName + "' has an invalid external data location '" + location + "'");
        }
        if (loc.isAbsolute() || location.startsWith("/") || location.startsWith("\\")
                || location.matches("^[A-Za-z]:.*")) {
            throw ctx.fail("tensor '" + tensorName + "' has an absolute external data location '" + location
                    + "'; ONNX locations must be relative to the model's folder " + folder);
        }
        Path candidate = folder.resolve(loc).normalize();
        if (!candidate.startsWith(folder) || candidate.equals(folder)) {
            throw ctx.fail("tensor '" + tensorName + "' has external data location '" + location
                    + "', which leads out of the model's folder " + folder + "; refusing to read it");
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw ctx.fail("external data file " + candidate + " of tensor '" + tensorName
                    + "' (location '" + location + "') does not exist");
        }
        Path real;
        try {
            if (realFolder == null) {
                realFolder = folder.toRealPath();
            }
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw ctx.fail("external data file " + candidate + " of tensor '" + tensorName
                    + "' (location '" + location + "') cannot be opened: " + e.getMessage(), e);
        }
        if (!real.startsWith(realFolder)) {
            throw ctx.fail("external data location '" + location + "' of tensor '" + tensorName
                    + "' is a link to " + real + ", outside the model's folder " + realFolder + "; refusing to read it");
        }
        if (!Files.isRegularFile(real)) {
            throw ctx.fail("external data location '" + location + "' of tensor '" + tensorName
                    + "' is not a regular file: " + real);
        }
        resolved.put(location, real);
        return real;
    }
}
