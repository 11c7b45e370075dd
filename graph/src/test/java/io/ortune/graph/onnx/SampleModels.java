package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Function;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.FunctionProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.OperatorSetIdProto;

import java.util.Arrays;
import java.util.List;

/** Small models built through the IR API for serializer tests. */
final class SampleModels {

    private SampleModels() {
    }

    /**
     * y = If(cond, then: x + w (outer-scope x and w), else: Identity(x)) plus a call of a local function,
     * with doc strings, metadata, value infos, an initializer also listed as input, an omitted optional input
     * and output, and every attribute kind that has no subgraph.
     */
    static Model rich() {
        Graph g = new Graph("main");
        g.setDocString("the main graph\nsecond line");
        g.metadataProps().put("graph.key", "graph value");
        Value x = g.addInput("x", ValueType.tensor(DataType.FLOAT, "batch", 4));
        x.setDocString("input x");
        Value cond = g.addInput("cond", ValueType.tensor(DataType.BOOL, Shape.SCALAR));
        Value w = g.addInitializer(Tensor.ofFloats("w", new long[] {4}, 1f, 2f, 3f, 4f));
        g.addInput(w); // IR < 4 style: initializer also a graph input
        Value big = g.addInitializer(Tensor.ofFloats("big", new long[] {512}, new float[512]));

        Graph thenG = new Graph("then");
        thenG.setParent(g);
        Node add = thenG.addNode("then_add", "", "Add", List.of(x, w), List.of("then_out"), null);
        add.output().setType(ValueType.tensor(DataType.FLOAT, "batch", 4));
        thenG.addOutput(add.output());
        Graph elseG = new Graph("else");
        elseG.setParent(g);
        Value local = elseG.addInitializer(Tensor.scalarFloat("else_scale", 0.5f));
        Node mul = elseG.addNode("else_mul", "", "Mul", List.of(x, local), List.of("else_out"), null);
        mul.output().setType(ValueType.tensor(DataType.FLOAT, "batch", 4));
        elseG.addOutput(mul.output());

        Node ifNode = g.addNode("if", "", "If", List.of(cond), List.of("y"),
                List.of(new Attribute.GraphAttr("then_branch", thenG), new Attribute.GraphAttr("else_branch", elseG)));
        ifNode.setDocString("branches on cond");
        ifNode.metadataProps().put("node.key", "node value");

        Node clip = g.addNode("clip", "", "Clip", Arrays.asList(ifNode.output(), null, big),
                List.of("clipped"), null);
        Node drop = g.addNode("drop", "", "Dropout", List.of(clip.output()), List.of("dropped", ""),
                List.of(Attribute.floats("fs", 1.5f, Float.NaN), Attribute.ints("is", 1, -2),
                        new Attribute.StringsAttr("ss", List.of("a", "b\"c")),
                        new Attribute.FloatAttr("f", 0.25f), new Attribute.IntAttr("i", -7),
                        new Attribute.StringAttr("s", "naïve"),
                        new Attribute.TensorAttr("t", Tensor.vectorLong("shape", 1, 2, 3)),
                        new Attribute.TypeAttr("tp", new ValueType.SequenceType(
                                ValueType.tensor(DataType.INT64, Shape.UNKNOWN_RANK)))));
        Node call = g.addNode("call", "my.domain", "Twice", List.of(drop.output(0)), List.of("z"), null);
        call.setOverload("v2");

        Value vi = drop.output(0);
        vi.setType(ValueType.tensor(DataType.FLOAT, "batch", Dim.UNKNOWN));
        g.valueInfos().add(vi);
        g.addOutput(call.output());
        call.output().setType(ValueType.tensor(DataType.FLOAT, "batch", 4));
        call.output().setDocString("the result");

        Model m = new Model(g);
        m.setIrVersion(9);
        m.opsetImports().put("", 21L);
        m.opsetImports().put("my.domain", 1L);
        m.setProducerName("ortune-test");
        m.setProducerVersion("0.1");
        m.setDomain("io.ortune.test");
        m.setModelVersion(3);
        m.setDocString("a model for serializer tests");
        m.metadataProps().put("model.key", "model value");
        m.functions().add(twice());
        return m;
    }

    /** Twice(X) = Add(X, X), in domain my.domain, overload v2. */
    static Function twice() {
        FunctionProto f = FunctionProto.newBuilder()
                .setName("Twice").setDomain("my.domain").setOverload("v2")
                .addInput("X").addOutput("Y")
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("X").addInput("X").addOutput("Y"))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(21))
                .setDocString("adds X to itself")
                .build();
        return new Function("my.domain", "Twice", "v2", new Unmodeled(f.toByteArray()));
    }
}
