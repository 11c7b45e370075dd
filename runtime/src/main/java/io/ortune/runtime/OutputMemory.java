package io.ortune.runtime;

/** Where {@link InferenceSession#run} puts the bytes of the output tensors it copies out of ONNX Runtime. */
public enum OutputMemory {
    /** A heap byte array (the default). */
    HEAP,
    /** A direct {@link java.nio.ByteBuffer}, outside the Java heap (for large outputs handed to native code). */
    DIRECT
}
