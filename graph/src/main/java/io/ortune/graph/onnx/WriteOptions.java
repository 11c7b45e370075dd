package io.ortune.graph.onnx;

/**
 * How {@link OnnxWriter} stores tensor data.
 *
 * <p>Inline ({@link #inline()}): every tensor inside the {@code .onnx} file, which protobuf limits to 2 GiB.
 * External ({@link #externalData()}): initializers of at least {@code sizeThreshold} bytes go to one side file
 * next to the model ({@code <model file name>.data} unless {@code dataFileName} says otherwise), at offsets that
 * are multiples of {@code alignment}; tensors of 1 MiB or more start on a 64 KiB boundary so that ONNX Runtime
 * can memory-map them on every platform. Tensors in node attributes and STRING tensors always stay inline, as
 * the {@code onnx} package does by default.
 *
 * @param external      whether large initializers go to a side file
 * @param sizeThreshold initializers with at least this many bytes go external (when {@code external})
 * @param dataFileName  side file name, a plain file name in the model's folder; null for the default
 * @param alignment     offset alignment in the side file, a power of two
 */
public record WriteOptions(boolean external, long sizeThreshold, String dataFileName, int alignment) {

    /** The threshold {@link #externalData()} uses, as {@code onnx.save_model} does. */
    public static final long DEFAULT_THRESHOLD = 1024;
    public static final int DEFAULT_ALIGNMENT = 64;

    public WriteOptions {
        if (sizeThreshold < 0) {
            throw new IllegalArgumentException("sizeThreshold must be >= 0, got " + sizeThreshold);
        }
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        if (dataFileName != null && (dataFileName.isEmpty() || dataFileName.contains("/")
                || dataFileName.contains("\\") || dataFileName.equals(".") || dataFileName.equals(".."))) {
            throw new IllegalArgumentException("dataFileName must be a plain file name in the model's folder, got '"
                    + dataFileName + "'");
        }
    }

    /** Everything inside the {@code .onnx} file. */
    public static WriteOptions inline() {
        return new WriteOptions(false, DEFAULT_THRESHOLD, null, DEFAULT_ALIGNMENT);
    }

    /** Initializers of 1 KiB or more in {@code <model file name>.data}. */
    public static WriteOptions externalData() {
        return new WriteOptions(true, DEFAULT_THRESHOLD, null, DEFAULT_ALIGNMENT);
    }

    public WriteOptions withThreshold(long bytes) {
        return new WriteOptions(external, bytes, dataFileName, alignment);
    }

    public WriteOptions withDataFileName(String name) {
        return new WriteOptions(external, sizeThreshold, name, alignment);
    }

    public WriteOptions withAlignment(int bytes) {
        return new WriteOptions(external, sizeThreshold, dataFileName, bytes);
    }

    /** The side file name for a model written as {@code modelFileName}. */
    public String dataFileNameFor(String modelFileName) {
        return dataFileName != null ? dataFileName : modelFileName + ".data";
    }
}
