package io.ortune.graph.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Value;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The attention shapes {@link AttentionMatcher} recognises, built by hand. */
@SuppressWarnings("try") // the module scope is entered for its effect on node names
class AttentionMatcherTest {

    @Test
    void headsFirstKeysWithStaticShapes() {
        GraphBuilder b = GraphBuilder.create("attn");
        Value q = b.input("q", DataType.FLOAT, "batch", 4, "seq", 8);
        Value k = b.input("k", DataType.FLOAT, "batch", 2, "seq", 8);
        Value v = b.input("v", DataType.FLOAT, "batch", 2, "seq", 8);
        Value mask = b.input("mask", DataType.FLOAT, "batch", 1, "seq", "seq");
        try (GraphBuilder.Scope s = b.scope("model.layers.3.self_attn")) {
            Value kr = repeat(b, k);
            Value vr = repeat(b, v);
            Value scores = b.mul(b.matMul(q, b.transpose(kr, 0, 1, 3, 2)), b.constFloat(0.35f));
            b.output(b.matMul(b.softmax(b.add(scores, mask), -1), vr), "out");
        }
        List<AttentionSite> sites = AttentionMatcher.find(b.graph());
        assertThat(sites).hasSize(1);
        AttentionSite s = sites.get(0);
        assertThat(s.module()).isEqualTo("model.layers.3.self_attn");
        assertThat(s.layer()).hasValue(3);
        assertThat(s.kvHeads()).isEqualTo(2);
        assertThat(s.headDim()).isEqualTo(8);
        assertThat(s.key().tensor()).as("looks through the grouped-query repeat").isSameAs(k);
        assertThat(s.value().tensor()).isSameAs(v);
        assertThat(s.key().reader().opType()).isEqualTo("Unsqueeze");
        assertThat(s.mask()).isSameAs(mask);
    }

    private static Value repeat(GraphBuilder b, Value x) {
        Value e = b.expand(b.unsqueeze(x, 2), b.constLongs(1, 1, 2, 1, 1));
        return b.reshape(e, 0, 4, -1, 8);
    }

    @Test
    void exporterLayoutReadsHeadsFromTheReshape() {
        GraphBuilder b = GraphBuilder.create("export");
        Value x = b.input("x", DataType.FLOAT, "batch", "seq", 12);
        Value mask = b.input("mask", DataType.FLOAT, "batch", 1, 1, "seq");
        Value batch = b.shape(x, 0, 2);
        Value shape = b.concat(0, batch, b.constLongs(3), b.constLongs(4));
        Value q = b.transpose(b.reshape(x, shape), 0, 2, 1, 3);
        Value kSplit = b.reshape(x, shape);
        Value v = b.transpose(b.reshape(x, shape), 0, 2, 1, 3);
        Value scores = b.div(b.matMul(q, b.transpose(kSplit, 0, 2, 3, 1)), b.constFloat(2f));
        b.output(b.matMul(b.softmax(b.add(scores, mask), 3), v), "out");
        List<AttentionSite> sites = AttentionMatcher.find(b.graph());
        assertThat(sites).hasSize(1);
        AttentionSite s = sites.get(0);
        assertThat(s.key().layout()).isEqualTo(AttentionSite.Layout.SEQUENCE_FIRST);
        assertThat(s.key().tensor()).isSameAs(kSplit);
        assertThat(s.value().layout()).isEqualTo(AttentionSite.Layout.HEADS_FIRST);
        assertThat(s.kvHeads()).isEqualTo(3);
        assertThat(s.headDim()).isEqualTo(4);
    }

    @Test
    void unknownHeadsFailNamingTheKey() {
        GraphBuilder b = GraphBuilder.create("opaque");
        Value q = b.input("q", DataType.FLOAT, "b", "h", "t", "d");
        Value k = b.input("k", DataType.FLOAT, "b", "h", "t", "d");
        Value v = b.input("v", DataType.FLOAT, "b", "h", "t", "d");
        Value mask = b.input("mask", DataType.FLOAT, "b", 1, "t", "t");
        b.output(b.matMul(b.softmax(b.add(b.matMul(q, b.transpose(k, 0, 1, 3, 2)), mask), -1), v), "out");
        assertThatThrownBy(() -> AttentionMatcher.find(b.graph())).hasMessageContaining("cannot tell the number of "
                + "key/value heads").hasMessageContaining("'k'");
    }

    @Test
    void matMulsWithoutSoftmaxAreNotAttention() {
        GraphBuilder b = GraphBuilder.create("mlp");
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        Value y = b.input("y", DataType.FLOAT, 3, 3);
        b.output(b.matMul(x, y), "z");
        assertThat(AttentionMatcher.find(b.graph())).isEmpty();
    }
}
