package io.ortune.graph.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An ONNX model: IR version, opset imports, producer, metadata, local functions, and the main graph. */
public final class Model {

    /** IR version ortune writes for models it creates (ONNX 1.15+, read by ONNX Runtime 1.17+). */
    public static final long DEFAULT_IR_VERSION = 9;

    private long irVersion = DEFAULT_IR_VERSION;
    private final LinkedHashMap<String, Long> opsetImports = new LinkedHashMap<>();
    private String producerName = "";
    private String producerVersion = "";
    private String domain = "";
    private long modelVersion;
    private String docString = "";
    private final LinkedHashMap<String, String> metadataProps = new LinkedHashMap<>();
    private final List<Function> functions = new ArrayList<>();
    private Graph graph;
    private Unmodeled unmodeled = Unmodeled.NONE;

    public Model(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public Graph graph() {
        return graph;
    }

    public void setGraph(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    public long irVersion() {
        return irVersion;
    }

    public void setIrVersion(long irVersion) {
        this.irVersion = irVersion;
    }

    /** Opset version by domain ("" = default ONNX domain), in file order. Mutable. */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /** The imported version of {@code opDomain} ("" and "ai.onnx" are the same), or -1. */
    public long opsetVersion(String opDomain) {
        String d = opDomain == null || opDomain.equals("ai.onnx") ? "" : opDomain;
        Long v = opsetImports.get(d);
        if (v == null && d.isEmpty()) {
            v = opsetImports.get("ai.onnx");
        }
        return v == null ? -1 : v;
    }

    public String producerName() {
        return producerName;
    }

    public void setProducerName(String producerName) {
        this.producerName = producerName == null ? "" : producerName;
    }

    public String producerVersion() {
        return producerVersion;
    }

    public void setProducerVersion(String producerVersion) {
        this.producerVersion = producerVersion == null ? "" : producerVersion;
    }

    public String domain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain == null ? "" : domain;
    }

    public long modelVersion() {
        return modelVersion;
    }

    public void setModelVersion(long modelVersion) {
        this.modelVersion = modelVersion;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String docString) {
        this.docString = docString == null ? "" : docString;
    }

    /** {@code metadata_props}, in file order. Mutable. */
    public Map<String, String> metadataProps() {
        return metadataProps;
    }

    /** Model-local functions, kept as read. Mutable. */
    public List<Function> functions() {
        return functions;
    }

    public Unmodeled unmodeled() {
        return unmodeled;
    }

    public void setUnmodeled(Unmodeled unmodeled) {
        this.unmodeled = unmodeled == null ? Unmodeled.NONE : unmodeled;
    }

    @Override
    public String toString() {
        return "model (ir " + irVersion + ", opsets " + opsetImports + ", producer '" + producerName + "') with "
                + graph;
    }
}
