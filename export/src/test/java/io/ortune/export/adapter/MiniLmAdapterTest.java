package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.graph.peft.LinearMatcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PEFT LoRA adapter on query,value of the real all-MiniLM-L6-v2 ONNX export (not built by ortune: weights named
 * {@code onnx::MatMul_*}, modules known only from node names). The fixture comes from tools/peft_golden.py, which
 * rebuilt the base in PyTorch from the dumped ONNX initializers (matching ONNX Runtime on the original file within
 * 3.1e-6) and added PEFT's LoRA forward. Checked two ways: merged into the weights by the float64 reference, and
 * attached through the LoRA pass after lifting the export from opset 11 to 13 ({@link Opset13UpgradePass}).
 */
class MiniLmAdapterTest {

    /**
     * fp32 ORT vs the fp64 reference over 6 layers of width 384: the script's own fp32 run is within 5.4e-6 of
     * fp64, and the rebuilt base within 3.1e-6 of ORT on the original file.
     */
    static final Close.Tolerance MINILM = new Close.Tolerance(3e-5, 1e-5, "fp32 ORT vs fp64 torch rebuild of a "
            + "6-layer, 384-wide encoder (script: fp32 within 5.4e-6, rebuilt base within 3.1e-6 of ORT)");

    @TempDir
    static Path tmp;

    static Model base;
    static Path adapterDir;

    @BeforeAll
    static void load() throws IOException {
        base = MiniLm.load(tmp);
        adapterDir = PeftGolden.root().resolve("export/src/test/resources/golden/peft/minilm-lora");
    }

    static Map<String, Tensor> feeds() throws IOException {
        var in = PeftConfigJson.JSON.readTree(adapterDir.resolve("inputs.json").toFile());
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (String name : new String[] {"input_ids", "attention_mask", "token_type_ids"}) {
            feeds.put(name, PeftGolden.longs(name, PeftGolden.matrix(in.get(name))));
        }
        return feeds;
    }

    static boolean[] flags(Map<String, Tensor> feeds) {
        long[] mask = feeds.get("attention_mask").toLongs();
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] != 0;
        }
        return out;
    }

    @Test
    void theForeignBaseHasTheModulesPeftNames() {
        LinearMatcher.Matches m = LinearMatcher.find(base.graph());
        for (int i = 0; i < 6; i++) {
            assertThat(m.site("encoder.layer." + i + ".attention.self.query")).isPresent();
            assertThat(m.site("encoder.layer." + i + ".attention.self.value")).isPresent();
        }
    }

    @Test
    void adapterFitsAndMergedReferenceMatchesPyTorch() throws IOException {
        PeftAdapter a = PeftAdapterFiles.read(adapterDir, base);
        assertThat(a.modules()).hasSize(12);
        Map<String, Tensor> feeds = feeds();
        Tensor hidden = PeftGolden.run(MergedReference.merge(base, a), feeds).get(MiniLm.OUTPUT);
        Tensor expected = NpyFiles.read(adapterDir.resolve("logits.npy"));
        double err = Close.assertClose("minilm merged reference", hidden, expected, flags(feeds), MINILM);
        System.out.println("minilm-lora merged reference: max abs error " + err);
    }

    @Test
    void attachingToTheOpset11ExportAsksForTheUpgrade() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PeftAdapters.attach(base, adapterDir, "default"))
                .hasMessageContaining("imports opset 11").hasMessageContaining("--pass upgrade-opset-13");
    }

    @Test
    void attachedThroughTheLoraPassMatchesPyTorch() throws IOException {
        Map<String, Tensor> feeds = feeds();
        Model base13 = new Opset13UpgradePass().run(base).model();
        float[] before = PeftGolden.run(base, feeds).get(MiniLm.OUTPUT).toFloats();
        float[] after = PeftGolden.run(base13, feeds).get(MiniLm.OUTPUT).toFloats();
        assertThat(after).as("opset 11 -> 13 changes nothing ONNX Runtime computes").containsExactly(before);
        var inj = PeftAdapters.attach(base13, adapterDir, "default");
        assertThat(inj.report().injected()).hasSize(12);
        Tensor hidden = PeftGolden.run(inj.model(), feeds).get(MiniLm.OUTPUT);
        Tensor expected = NpyFiles.read(adapterDir.resolve("logits.npy"));
        double err = Close.assertClose("minilm attached", hidden, expected, flags(feeds), MINILM);
        System.out.println("minilm-lora attached via LoraPass: max abs error " + err);
        PeftAdapter back = PeftAdapters.extract(inj.model(), "default");
        PeftAdapter file = PeftAdapterFiles.read(adapterDir);
        assertThat(back.config().fanInFanOut()).as("the file's nn.Linear setting survives, though the ONNX weights "
                + "are stored [in, out]").isFalse();
        for (String k : file.tensors().keySet()) {
            assertThat(back.tensor(k).contentEquals(file.tensor(k))).as(k).isTrue();
        }
    }
}
