package io.ortune.graph.onnx;

import io.ortune.graph.ir.Function;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.proto.OnnxProtos.FunctionProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.OperatorSetIdProto;

import java.io.IOException;
import java.util.Map;

/** {@link Model} to {@code ModelProto}, starting from the unmodeled bytes the reader kept. */
final class ModelEncoder {

    private final GraphEncoder graphs;

    ModelEncoder(TensorEncoder tensors) {
        this.graphs = new GraphEncoder(tensors);
    }

    ModelProto encode(Model m) throws IOException {
        ModelProto.Builder b = Residuals.parse(m.unmodeled(), ModelProto.parser(), ModelProto.getDefaultInstance(),
                "the model").toBuilder();
        b.setIrVersion(m.irVersion());
        for (Map.Entry<String, Long> op : m.opsetImports().entrySet()) {
            OperatorSetIdProto.Builder ob = OperatorSetIdProto.newBuilder().setVersion(op.getValue());
            if (!op.getKey().isEmpty()) {
                ob.setDomain(op.getKey());
            }
            b.addOpsetImport(ob);
        }
        if (!m.producerName().isEmpty()) {
            b.setProducerName(m.producerName());
        }
        if (!m.producerVersion().isEmpty()) {
            b.setProducerVersion(m.producerVersion());
        }
        if (!m.domain().isEmpty()) {
            b.setDomain(m.domain());
        }
        if (m.modelVersion() != 0) {
            b.setModelVersion(m.modelVersion());
        }
        if (!m.docString().isEmpty()) {
            b.setDocString(m.docString());
        }
        b.setGraph(graphs.encode(m.graph()));
        GraphEncoder.addProps(m.metadataProps(), b::addMetadataProps);
        for (Function f : m.functions()) {
            b.addFunctions(function(f));
        }
        return b.build();
    }

    /** The kept function proto, with domain/name/overload updated only where the IR changed them. */
    private static FunctionProto function(Function f) {
        FunctionProto p = Residuals.parse(f.proto(), FunctionProto.parser(), FunctionProto.getDefaultInstance(),
                "function '" + f.name() + "'");
        FunctionProto.Builder b = p.toBuilder();
        if (!p.getDomain().equals(nullToEmpty(f.domain()))) {
            b.setDomain(nullToEmpty(f.domain()));
        }
        if (!p.getName().equals(nullToEmpty(f.name()))) {
            b.setName(nullToEmpty(f.name()));
        }
        if (!p.getOverload().equals(nullToEmpty(f.overload()))) {
            b.setOverload(nullToEmpty(f.overload()));
        }
        return b.build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
