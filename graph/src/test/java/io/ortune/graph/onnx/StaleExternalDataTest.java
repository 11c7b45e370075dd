package io.ortune.graph.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rewriting a model so it no longer uses its conventional {@code .onnx.data} file removes that file. */
class StaleExternalDataTest {

    private static final int[] SIZES = {10, 3000, 5000};

    @TempDir
    Path tmp;

    private Path writeExternal(String name) throws IOException {
        Path model = tmp.resolve(name);
        OnnxWriter.write(ExternalDataTest.sumModel(SIZES), model, WriteOptions.externalData());
        assertThat(tmp.resolve(name + ".data")).isRegularFile();
        return model;
    }

    @Test
    void convertingBackToInlineOverTheSameFileRemovesTheOldDataFile() throws IOException {
        Path model = writeExternal("model.onnx");
        Model read = OnnxReader.read(model);
        assertThat(read.graph().initializer("w1").constant().data()).isInstanceOf(FileRegionData.class);

        OnnxWriter.write(read, model, WriteOptions.inline());

        assertThat(tmp.resolve("model.onnx.data")).doesNotExist();
        ExternalDataTest.assertContent(OnnxReader.read(model), SIZES);
        // The in-memory model read the removed file: its tensors were rebound and still read.
        ExternalDataTest.assertContent(read, SIZES);
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.onnx");
        }
    }

    @Test
    void writingWithAnotherDataFileNameRemovesTheConventionalOne() throws IOException {
        Path model = writeExternal("model.onnx");
        Model read = OnnxReader.read(model);
        OnnxWriter.write(read, model, WriteOptions.externalData().withDataFileName("weights.bin"));
        assertThat(tmp.resolve("model.onnx.data")).doesNotExist();
        assertThat(tmp.resolve("weights.bin")).isRegularFile();
        ExternalDataTest.assertContent(OnnxReader.read(model), SIZES);
        ExternalDataTest.assertContent(read, SIZES);
    }

    @Test
    void aDataFileTheNewModelStillUsesIsKept() throws IOException {
        Path model = writeExternal("model.onnx");
        OnnxWriter.write(OnnxReader.read(model), model, WriteOptions.externalData());
        assertThat(tmp.resolve("model.onnx.data")).isRegularFile();
        ExternalDataTest.assertContent(OnnxReader.read(model), SIZES);
    }

    @Test
    void filesThatAreNotOursStay() throws IOException {
        // A data file under another name belongs to whoever wrote it; writing inline never touches it.
        Path model = tmp.resolve("model.onnx");
        OnnxWriter.write(ExternalDataTest.sumModel(SIZES), model, WriteOptions.externalData()
                .withDataFileName("shared.bin"));
        OnnxWriter.write(OnnxReader.read(model), model, WriteOptions.inline());
        assertThat(tmp.resolve("shared.bin")).isRegularFile();
        // A conventional name next to a path that held no model is not ours either.
        Files.writeString(tmp.resolve("fresh.onnx.data"), "someone's bytes");
        OnnxWriter.write(ExternalDataTest.sumModel(SIZES), tmp.resolve("fresh.onnx"), WriteOptions.inline());
        assertThat(tmp.resolve("fresh.onnx.data")).hasContent("someone's bytes");
    }
}
