package io.ortune.pipeline.config;

/**
 * {@code base:} where the base model comes from; exactly one source.
 *
 * @param bundled   a model shipped on the class path: {@code all-minilm-l6-v2} (the real sentence-transformers
 *                  export with its WordPiece tokenizer)
 * @param onnx      an {@code .onnx} file to import (ortune-built or a foreign export)
 * @param llama2c   a llama2.c checkpoint ({@code .bin})
 * @param hfConfig  a Hugging Face {@code config.json} (or its folder), with {@code hf-weights}
 * @param hfWeights a {@code .safetensors} file, sharded index or folder
 * @param tokenizer a tokenizer file or folder ({@code tokenizer.json}, GPT-2 files); the bundled model brings its own
 */
public record BaseSection(String bundled, String onnx, String llama2c, String hfConfig, String hfWeights,
                          String tokenizer) {

    /** The bundled MiniLM sentence encoder. */
    public static final String MINILM = "all-minilm-l6-v2";

    /** Which source is given (null when none or several: the checks report that). */
    public String source() {
        int n = (bundled != null ? 1 : 0) + (onnx != null ? 1 : 0) + (llama2c != null ? 1 : 0)
                + (hfConfig != null ? 1 : 0);
        if (n != 1) {
            return null;
        }
        return bundled != null ? "bundled" : onnx != null ? "onnx" : llama2c != null ? "llama2c" : "hf-config";
    }
}
