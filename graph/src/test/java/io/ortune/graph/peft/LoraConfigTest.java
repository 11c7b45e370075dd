package io.ortune.graph.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** PEFT semantics of the config (pattern keys, scaling, recorded strings) and injection structure without a runtime. */
class LoraConfigTest {

    @Test
    void patternKeysMatchLikePeftsGetPatternKey() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks.put("v_proj", 2);
        ranks.put("layers\\.1\\.self_attn\\.v_proj", 16);
        ranks.put("layers.0.*q_proj", 6);
        LoraConfig c = LoraConfig.of("q_proj,v_proj").withRankPattern(ranks);
        assertThat(c.rankFor("model.layers.0.self_attn.q_proj")).isEqualTo(6);
        assertThat(c.rankFor("model.layers.1.self_attn.q_proj")).isEqualTo(8);
        assertThat(c.rankFor("model.layers.1.self_attn.v_proj")).as("first matching key wins").isEqualTo(2);
        assertThat(c.rankFor("model.layers.0.self_attn.xv_proj")).as("keys match whole components").isEqualTo(8);
        assertThat(c.rankFor("v_proj")).as("the whole name may match").isEqualTo(2);
        assertThat(LoraConfig.patternKey(ranks.keySet(), "a.v_proj.b")).isEmpty();
    }

    @Test
    void scalingIsAlphaOverROrRootR() {
        LoraConfig c = LoraConfig.of("q_proj").withR(16).withAlpha(32).withAlphaPattern(Map.of("k_proj", 8.0));
        assertThat(c.scalingFor("x.q_proj")).isEqualTo(2.0);
        assertThat(c.scalingFor("x.k_proj")).isEqualTo(0.5);
        assertThat(c.withRslora(true).scalingFor("x.q_proj")).isEqualTo(8.0);
    }

    @Test
    void patternStringsRoundTrip() {
        Map<String, Integer> p = new LinkedHashMap<>();
        p.put("a,b=c%", 3);
        p.put("q_proj", 4);
        String s = PeftConfigs.encodePattern(p);
        assertThat(s).isEqualTo("a%2Cb%3Dc%25=3,q_proj=4");
        assertThat(PeftConfigs.decodePattern(s)).containsExactly(Map.entry("a,b=c%", "3"), Map.entry("q_proj", "4"));
        assertThat(LoraInit.parse("true")).isEqualTo(LoraInit.KAIMING);
        assertThat(LoraInit.parse("PiSSA")).isEqualTo(LoraInit.PISSA);
    }

    /** A second adapter's all-linear sees the base layers only, never the first adapter's A/B MatMuls. */
    @Test
    void secondInjectionTargetsBaseLayersOnly() {
        Model m = twoLayers();
        Injection first = new LoraPass(LoraConfig.of("all-linear").withAdapterName("one").withR(4)).inject(m);
        Injection second = new DoraPass(LoraConfig.of("all-linear").withAdapterName("two").withR(2))
                .inject(first.model());
        assertThat(first.report().injected()).hasSize(2);
        assertThat(second.report().injected()).extracting(l -> l.substring(0, l.indexOf(':')))
                .containsExactly("net.fc1", "net.fc2");
        assertThat(PeftMetadata.activeAdapters(second.model())).containsExactly("one", "two");
        assertThat(PeftMetadata.adapter(second.model(), "two").orElseThrow().config())
                .containsEntry("target_modules", "fc1,fc2").containsEntry("use_dora", "true");
        assertThat(m.graph().initializers()).hasSize(2);
    }

    /** fc1 → relu → fc2 → relu → y: no layer produces the graph output (so all-linear takes both). */
    private static Model twoLayers() {
        return twoLayers(false);
    }

    /** With {@code fc2Output}, fc2 produces the graph output {@code y} directly (an output head). */
    private static Model twoLayers(boolean fc2Output) {
        GraphBuilder b = GraphBuilder.create("two");
        Value x = b.input("x", DataType.FLOAT, 2, 8);
        Value w1 = b.initializer("net.fc1.weight", Tensor.ofFloats("w", new long[] {8, 8}, new float[64]));
        Value w2 = b.initializer("net.fc2.weight", Tensor.ofFloats("w", new long[] {8, 4}, new float[32]));
        Value h = b.scoped("net.fc1", () -> b.matMul(x, b.transpose(w1, 1, 0)));
        Value y = b.scoped("net.fc2", () -> b.matMul(b.relu(h), w2));
        b.output(fc2Output ? y : b.relu(y), "y");
        return b.model();
    }

    @Test
    void injectionReportListsModules() {
        Injection inj = new LoraPass(LoraConfig.of("fc2").withR(3).withAlpha(6)).inject(twoLayers(true));
        assertThat(inj.report().injected()).containsExactly("net.fc2: lora r=3 alpha=6 scaling=2");
        assertThat(inj.report().trainableParams()).isEqualTo(3 * 8 + 4 * 3);
        assertThat(inj.report().summary()).contains("lora adapter 'default': injected into 1 module");
        Value y = inj.model().graph().outputs().get(0);
        assertThat(y.name()).as("the graph output keeps its name").isEqualTo("y");
        assertThat(y.producer().name()).isEqualTo("/net/fc2/lora/default/Add");
    }
}
