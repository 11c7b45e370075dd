package io.ortune.graph.onnx;

import io.ortune.graph.ir.Function;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.onnx.proto.OnnxProtos.FunctionProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.OperatorSetIdProto;

/** {@code ModelProto} to {@link Model}: header fields, opsets, metadata, functions (kept whole), main graph. */
final class ModelDecoder {

    private final DecodeContext ctx;

    ModelDecoder(DecodeContext ctx) {
        this.ctx = ctx;
    }

    Model decode(ModelProto mp) throws OnnxFormatException {
        if (!mp.hasGraph() && !mp.hasIrVersion()) {
            String hint = ctx.source().endsWith(".pb")
                    ? "; a .pb file usually holds one serialized tensor: read it with TensorProtoFiles.read" : "";
            throw ctx.fail("not an ONNX model: the protobuf message has neither ir_version nor graph" + hint);
        }
        Graph graph = mp.hasGraph() ? new GraphDecoder(ctx).decode(mp.getGraph(), null, null) : new Graph("");
        Model m = new Model(graph);
        m.setIrVersion(mp.getIrVersion());
        for (OperatorSetIdProto op : mp.getOpsetImportList()) {
            m.opsetImports().put(op.getDomain(), op.getVersion());
        }
        m.setProducerName(mp.getProducerName());
        m.setProducerVersion(mp.getProducerVersion());
        m.setDomain(mp.getDomain());
        m.setModelVersion(mp.getModelVersion());
        m.setDocString(mp.getDocString());
        GraphDecoder.putAll(m.metadataProps(), mp.getMetadataPropsList());
        for (FunctionProto f : mp.getFunctionsList()) {
            m.functions().add(new Function(f.getDomain(), f.getName(), f.getOverload(),
                    new Unmodeled(f.toByteArray())));
        }
        m.setUnmodeled(Residuals.of(mp.toBuilder()
                .clearIrVersion().clearOpsetImport().clearProducerName().clearProducerVersion().clearDomain()
                .clearModelVersion().clearDocString().clearGraph().clearMetadataProps().clearFunctions()
                .build()));
        return m;
    }
}
