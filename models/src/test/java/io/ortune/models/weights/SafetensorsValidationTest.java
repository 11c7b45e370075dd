package io.ortune.models.weights;

import io.ortune.graph.ir.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ortune.models.weights.SafetensorsTestFiles.raw;
import static io.ortune.models.weights.SafetensorsTestFiles.zeros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One test per kind of broken file; each checks that the message names the file, tensor and problem. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private SafetensorsFormatException openFails(Path file) {
        SafetensorsFormatException e = catchThrowableOfType(SafetensorsFormatException.class,
                () -> SafetensorsFile.open(file));
        assertThat(e).as("expected a format error for " + file).isNotNull();
        assertThat(e.getMessage()).contains(file.getFileName().toString());
        assertThat(e.file()).isEqualTo(file.toAbsolutePath());
        return e;
    }

    private Path withHeader(String header, int dataBytes) throws IOException {
        return raw(dir.resolve("t.safetensors"), header, zeros(dataBytes));
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path f = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertThat(openFails(f).problem()).contains("only 3 bytes").contains("8-byte header length");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        Path f = raw(dir.resolve("t.safetensors"), 1000, "{}".getBytes(StandardCharsets.UTF_8), zeros(10));
        SafetensorsFormatException e = openFails(f);
        assertThat(e.tensor()).isNull();
        assertThat(e.problem()).contains("header length 1000 is larger than the file").contains("12 bytes");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        Path f = raw(dir.resolve("t.safetensors"), 200_000_000L, "{}".getBytes(StandardCharsets.UTF_8), zeros(0));
        assertThat(openFails(f).problem()).contains("header length 200000000 is absurd").contains("100000000");
        Path negative = raw(dir.resolve("n.safetensors"), -1L, "{}".getBytes(StandardCharsets.UTF_8), zeros(0));
        assertThat(openFails(negative).problem()).contains("18446744073709551615 is absurd");
    }

    @Test
    void headerNotJson() throws IOException {
        assertThat(openFails(withHeader("{\"a\": {\"dtype\": \"F32\",", 0)).problem()).startsWith("header is not JSON");
        assertThat(openFails(withHeader("not json at all", 0)).problem()).startsWith("header is not JSON");
        assertThat(openFails(withHeader("{} trailing", 0)).problem()).startsWith("header is not JSON");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertThat(openFails(withHeader("[1, 2]", 0)).problem()).contains("not a JSON object but array");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertThat(openFails(withHeader(h, 4)).problem()).contains("not JSON").contains("Duplicate field 'a'");
    }

    @Test
    void missingDtype() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("missing dtype");
        assertThat(e.getMessage()).contains("tensor 'w': missing dtype");
    }

    @Test
    void missingShape() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("missing shape");
    }

    @Test
    void missingDataOffsets() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("missing data_offsets");
    }

    @Test
    void malformedShapeAndOffsets() throws IOException {
        SafetensorsFormatException e = openFails(withHeader(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4,8]}}", 8));
        assertThat(e.issues()).extracting(SafetensorsFormatException.Issue::problem).containsExactly(
                "shape must be an array of non-negative integers, not [-1]",
                "data_offsets must be an array of 2 non-negative integers, not [0,4,8]");
    }

    @Test
    void unknownDtype() throws IOException {
        SafetensorsFormatException e = openFails(withHeader(
                "{\"w\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).contains("unknown dtype 'F12'").contains("F32, F16, BF16");
    }

    @Test
    void offsetsOutOfTheDataRegion() throws IOException {
        SafetensorsFormatException e = openFails(withHeader(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("data_offsets [4, 12] are out of the data region, which has 8 bytes");
    }

    @Test
    void endBeforeStart() throws IOException {
        SafetensorsFormatException e = openFails(withHeader(
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("data_offsets end 4 < start 8");
    }

    @Test
    void byteLengthDisagreesWithDtypeAndShape() throws IOException {
        SafetensorsFormatException e = openFails(withHeader(
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}", 8));
        assertThat(e.tensor()).isEqualTo("w");
        assertThat(e.problem()).isEqualTo("byte length 8 != dtype size 2 (BF16) x shape product 6 [2, 3] = 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        assertThat(e.tensor()).isEqualTo("b");
        assertThat(e.problem()).isEqualTo("bytes [4, 12) overlap tensor 'a' at [0, 8)");
    }

    @Test
    void metadataMustHoldStrings() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{\"__metadata__\":{\"epoch\":3}}", 0));
        assertThat(e.tensor()).isNull();
        assertThat(e.problem()).isEqualTo("__metadata__ value for 'epoch' must be a string, not number");
    }

    @Test
    void everyProblemIsReportedTogether() throws IOException {
        SafetensorsFormatException e = openFails(withHeader("{"
                + "\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"data_offsets\":[4,8]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,99]}}", 12));
        assertThat(e.issues()).extracting(SafetensorsFormatException.Issue::tensor).containsExactly("a", "b", "c");
        assertThat(e.getMessage()).contains("3 problems").contains("tensor 'a': unknown dtype 'Q4'")
                .contains("tensor 'b': missing shape").contains("tensor 'c': data_offsets [8, 99] are out of");
    }

    @Test
    void zeroLengthTensorsNeverOverlapAndGapsAreTolerated() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(withHeader("{"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[8,9]}}       ", 9));
        assertThat(f.names()).containsExactly("a", "b", "e");
        assertThat(f.tensor("b").elementCount()).isEqualTo(1);
    }

    // ---- sharded index ---------------------------------------------------------------------------------------------

    private void shard(String file, String... names) throws IOException {
        java.util.Map<String, Tensor> m = new java.util.TreeMap<>();
        for (String n : names) {
            m.put(n, Tensor.ofFloats(n, new long[] {1}, 1f));
        }
        SafetensorsWriter.write(dir.resolve(file), m);
    }

    private void index(String weightMap) throws IOException {
        Files.writeString(dir.resolve(ShardedSafetensors.INDEX_FILE),
                "{\"metadata\":{\"total_size\":8},\"weight_map\":" + weightMap + "}");
    }

    @Test
    void tensorListedInTheIndexButMissingFromItsShard() throws IOException {
        shard("s1.safetensors", "a");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s1.safetensors\"}");
        SafetensorsFormatException e = catchThrowableOfType(SafetensorsFormatException.class,
                () -> ShardedSafetensors.open(dir));
        assertThat(e.file().getFileName().toString()).isEqualTo(ShardedSafetensors.INDEX_FILE);
        assertThat(e.tensor()).isEqualTo("b");
        assertThat(e.problem()).isEqualTo("listed in the index for shard 's1.safetensors' but missing from it");
    }

    @Test
    void missingShardFile() throws IOException {
        shard("s1.safetensors", "a");
        index("{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\",\"c\":\"s2.safetensors\"}");
        SafetensorsFormatException e = catchThrowableOfType(SafetensorsFormatException.class,
                () -> ShardedSafetensors.open(dir));
        assertThat(e.tensor()).isEqualTo("b");
        assertThat(e.problem()).startsWith("shard file 's2.safetensors' is missing").contains("lists 2 tensor(s)");
    }

    @Test
    void indexWithoutWeightMapOrEscapingShardPath() throws IOException {
        Files.writeString(dir.resolve(ShardedSafetensors.INDEX_FILE), "{\"metadata\":{}}");
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("no \"weight_map\"");
        index("{\"a\":\"../elsewhere.safetensors\"}");
        assertThatThrownBy(() -> ShardedSafetensors.open(dir)).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensor 'a': shard must be a file name in the index's folder");
    }

    @Test
    void badShardIsReportedWithItsOwnFileName() throws IOException {
        raw(dir.resolve("s1.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                zeros(2));
        index("{\"a\":\"s1.safetensors\"}");
        SafetensorsFormatException e = catchThrowableOfType(SafetensorsFormatException.class,
                () -> ShardedSafetensors.open(dir));
        assertThat(e.file().getFileName().toString()).isEqualTo("s1.safetensors");
        assertThat(e.problem()).contains("out of the data region");
    }
}
