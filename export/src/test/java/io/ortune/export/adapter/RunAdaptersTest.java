package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's adapters written in {@code save_pretrained}'s layout and read back as they were. */
class RunAdaptersTest {

    @TempDir
    Path tmp;

    @Test
    void defaultGoesInTheFolderOthersInSubfoldersAndEachReadsBackTheSameTensors() throws IOException {
        Model base = PeftGolden.load("llama-lora").base();
        Model two = new LoraPass(LoraConfig.of("q_proj,v_proj").withR(2)).inject(base).model();
        two = new Ia3Pass(Ia3Config.defaults().withAdapterName("scales")).inject(two).model();
        NativeRoundTripTest.trained(two, "default", 3);
        NativeRoundTripTest.trained(two, "scales", 4);
        Path run = Files.createDirectories(tmp.resolve("run"));
        OnnxWriter.write(two, run.resolve(RunAdapters.RUN_MODEL));

        Path adapter = run.resolve(RunAdapters.ADAPTER_DIR);
        assertThat(RunAdapters.writeRun(run)).containsExactly(adapter, adapter.resolve("scales"));
        PeftAdapter lora = PeftAdapterFiles.read(adapter, base);
        PeftAdapter ia3 = PeftAdapterFiles.read(adapter.resolve("scales"), base);
        assertThat(lora.config().peftType()).isEqualTo("LORA");
        assertThat(ia3.config().peftType()).isEqualTo("IA3");
        PeftAdapter expected = PeftAdapters.extract(two, "scales");
        for (String k : expected.tensors().keySet()) {
            assertThat(ia3.tensor(k).contentEquals(expected.tensor(k))).as(k).isTrue();
        }
    }

    @Test
    void aSingleAdapterGoesInTheFolderWhateverItsName() throws IOException {
        Model base = PeftGolden.load("llama-lora").base();
        Model one = new LoraPass(LoraConfig.of("q_proj").withAdapterName("mine")).inject(base).model();
        assertThat(RunAdapters.write(one, tmp.resolve("a"))).containsExactly(tmp.resolve("a"));
        assertThat(tmp.resolve("a").resolve(PeftAdapterFiles.WEIGHTS)).exists();
        assertThat(RunAdapters.write(base, tmp.resolve("b"))).as("a full fine-tune has no adapter").isEmpty();
        assertThat(tmp.resolve("b")).doesNotExist();
    }

    @Test
    void badRunFoldersAndNamesAreRefusedNamingThem() {
        assertThatThrownBy(() -> RunAdapters.writeRun(tmp.resolve("nothing")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("model.onnx");
        assertThatThrownBy(() -> RunAdapters.folder("..", 2, tmp)).isInstanceOf(AdapterException.class)
                .hasMessageContaining("adapter name '..'");
    }
}
