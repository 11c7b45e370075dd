package io.ortune.tensorrt;

import org.bytedeco.tensorrt.nvinfer.ILogger;

import java.util.ArrayList;
import java.util.List;

/** TensorRT's logger: keeps errors and warnings for the failure message, prints them when asked. */
final class TrtLogger extends ILogger {

    private final List<String> messages = new ArrayList<>();
    private final boolean verbose;

    TrtLogger(boolean verbose) {
        this.verbose = verbose;
    }

    @Override
    public void log(Severity severity, String msg) {
        if (severity == Severity.kINFO || severity == Severity.kVERBOSE) {
            if (verbose) {
                System.err.println("[TensorRT] " + msg);
            }
            return;
        }
        synchronized (messages) {
            messages.add(severity.name().substring(1).toLowerCase(java.util.Locale.ROOT) + ": " + msg);
        }
        if (verbose) {
            System.err.println("[TensorRT] " + msg);
        }
    }

    /** Errors and warnings so far. */
    List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }
}
