package io.ortune.graph.io;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NumPy files written by NumPy itself (see src/test/resources/golden/npy/README.md) load and round-trip. */
class NpyFilesTest {

    @TempDir
    Path tmp;

    static Path golden(String name) {
        try {
            return Path.of(NpyFilesTest.class.getResource("/golden/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsFloatMatrix() throws IOException {
        Tensor t = NpyFiles.read(golden("f4_2x3.npy"));
        assertThat(t.name()).isEqualTo("f4_2x3");
        assertThat(t.dtype()).isEqualTo(DataType.FLOAT);
        assertThat(t.dims()).containsExactly(2, 3);
        assertThat(t.toFloats()).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f);
    }

    @Test
    void readsScalarsVectorsAndIntegerTypes() throws IOException {
        Tensor s = NpyFiles.read(golden("i8_scalar.npy"));
        assertThat(s.dims()).isEmpty();
        assertThat(s.toLongs()).containsExactly(-7);
        assertThat(NpyFiles.read(golden("f8_vec.npy")).toDoubles()).containsExactly(1.5, -2.25, 1e300);
        assertThat(NpyFiles.read(golden("i4.npy")).toInts()).containsExactly(1, -2, 3, Integer.MAX_VALUE);
        assertThat(NpyFiles.read(golden("i2.npy")).toLongsWidening()).containsExactly(-300, 300);
        assertThat(NpyFiles.read(golden("i1.npy")).toLongsWidening()).containsExactly(-128, 127);
        assertThat(NpyFiles.read(golden("u1.npy")).toLongsWidening()).containsExactly(0, 255);
        assertThat(NpyFiles.read(golden("u2.npy")).toLongsWidening()).containsExactly(65535);
        assertThat(NpyFiles.read(golden("u4.npy")).toLongsWidening()).containsExactly(4294967295L);
        assertThat(NpyFiles.read(golden("u8.npy")).toLongsWidening()).containsExactly(-1L);
        assertThat(NpyFiles.read(golden("b1.npy")).toLongsWidening()).containsExactly(1, 0, 1);
        Tensor f2 = NpyFiles.read(golden("f2.npy"));
        assertThat(f2.dtype()).isEqualTo(DataType.FLOAT16);
        ByteBuffer b = f2.bytes();
        assertThat(new short[] {b.getShort(0), b.getShort(2), b.getShort(4)})
                .containsExactly((short) 0x3C00, (short) 0xB800, (short) 0x7BFF);
        assertThat(NpyFiles.read(golden("empty.npy")).dims()).containsExactly(0, 4);
    }

    @Test
    void readsHeaderVersions2And3() throws IOException {
        assertThat(NpyFiles.read(golden("v2_f4.npy")).toFloats()).containsExactly(1f, 2f);
        assertThat(NpyFiles.read(golden("v3_f4.npy")).toFloats()).containsExactly(3f, 4f);
    }

    @ParameterizedTest
    @CsvSource({
        "fortran.npy, Fortran-order",
        "object.npy, object arrays",
        "big_endian.npy, big-endian",
        "unicode.npy, string arrays",
        "structured.npy, structured"})
    void refusesWhatItCannotRepresent(String file, String message) {
        assertThatThrownBy(() -> NpyFiles.read(golden(file)))
                .isInstanceOf(NpyFormatException.class)
                .hasMessageContaining(file).hasMessageContaining(message);
    }

    @Test
    void refusesGarbageAndTruncation() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.npy"), "not numpy at all");
        assertThatThrownBy(() -> NpyFiles.read(junk)).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("magic");
        byte[] good = Files.readAllBytes(golden("f4_2x3.npy"));
        Path cut = Files.write(tmp.resolve("cut.npy"), java.util.Arrays.copyOf(good, good.length - 4));
        assertThatThrownBy(() -> NpyFiles.read(cut)).isInstanceOf(NpyFormatException.class)
                .hasMessageContaining("needs 24 data bytes but the file has 20");
    }

    @Test
    void writesWhatNumpyWritesAndReadsItBack() throws IOException {
        for (String name : new String[] {"f4_2x3", "f8_vec", "i8_scalar", "i4", "i1", "u1", "b1", "f2", "empty"}) {
            Tensor t = NpyFiles.read(golden(name + ".npy"));
            Path out = tmp.resolve(name + ".npy");
            NpyFiles.write(t, out);
            assertThat(out).hasSameBinaryContentAs(golden(name + ".npy"));
            assertThat(NpyFiles.read(out).contentEquals(t)).isTrue();
        }
        assertThat(Files.list(tmp).filter(p -> p.getFileName().toString().startsWith(".")).toList()).isEmpty();
    }

    @Test
    void refusesTypesNumpyLacks() {
        Tensor bf16 = Tensor.ofBytes("b", DataType.BFLOAT16, new long[] {1}, new byte[2]);
        assertThatThrownBy(() -> NpyFiles.write(bf16, tmp.resolve("b.npy")))
                .isInstanceOf(NpyFormatException.class).hasMessageContaining("bfloat16");
    }
}
