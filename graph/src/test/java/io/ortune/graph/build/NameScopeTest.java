package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.ValueType;

import java.util.List;

import org.junit.jupiter.api.Test;

class NameScopeTest {

    @Test
    void numericSegmentsStayWithTheirModule() {
        assertThat(NameScope.segments("model.layers.0.self_attn.q_proj"))
                .containsExactly("model", "layers.0", "self_attn", "q_proj");
    }

    @Test
    void slashesAndEmptySegments() {
        assertThat(NameScope.segments("/a//b.12.c/")).containsExactly("a", "b.12", "c");
        assertThat(NameScope.segments("0.x")).containsExactly("0", "x");
    }

    @Test
    void prefixFollowsPushAndPop() {
        NameScope s = NameScope.empty();
        int t1 = s.push("model.layers.3");
        int t2 = s.push("mlp");
        assertThat(s.prefix()).isEqualTo("/model/layers.3/mlp");
        s.pop(t2);
        assertThat(s.prefix()).isEqualTo("/model/layers.3");
        s.pop(t1);
        assertThat(s.prefix()).isEmpty();
    }

    @Test
    void seededNamesAreNotReused() {
        Graph g = new Graph("g");
        g.addInput("/Add_output_0", ValueType.tensor(io.ortune.graph.ir.DataType.FLOAT));
        g.addNode("/Add", "", "Add", List.of(), List.of("y"), null);
        NameScope s = NameScope.of(g);
        assertThat(s.nodeName("Add")).isEqualTo("/Add_1");
        assertThat(s.outputName("/Add", 0)).isEqualTo("/Add_output_0_1");
        assertThat(s.reserveValue("y")).isFalse();
    }

    @Test
    void uniqueNamesSkipTakenSuffixes() {
        NameScope s = NameScope.empty();
        s.reserveValue("v");
        s.reserveValue("v_1");
        assertThat(s.uniqueValue("v")).isEqualTo("v_2");
        assertThat(s.uniqueValue("v")).isEqualTo("v_3");
    }
}
