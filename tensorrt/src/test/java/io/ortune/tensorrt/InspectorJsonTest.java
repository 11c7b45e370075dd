package io.ortune.tensorrt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inspector document here is written after TensorRT's documented layer-information format. */
class InspectorJsonTest {

    @Test
    void detailedLayersGiveTheirOutputPrecision() {
        String json = """
                {"Layers": [
                  {"Name": "/q/QuantizeLinear", "LayerType": "Reformat",
                   "Inputs": [{"Name": "x", "Format/Datatype": "Row major linear FP32"}],
                   "Outputs": [{"Name": "x_q", "Format/Datatype": "Row major linear Int8"}]},
                  {"Name": "/mm/MatMul", "LayerType": "CaskGemmMatrixMultiply",
                   "Outputs": [{"Name": "y", "Format/Datatype": "Channel major FP16 format where channel % 8 == 0"}]},
                  {"Name": "shape_only", "Outputs": []}
                ], "Bindings": ["x", "y"]}""";
        assertThat(InspectorJson.layers(json)).containsExactly(new LayerPrecision("/q/QuantizeLinear", "INT8"),
                new LayerPrecision("/mm/MatMul", "FP16"), new LayerPrecision("shape_only", "unknown"));
    }

    @Test
    void namesOnlyEngineGivesUnknownPrecisions() {
        assertThat(InspectorJson.layers("{\"Layers\": [\"a\", \"b\"], \"Bindings\": []}"))
                .extracting(LayerPrecision::precision).containsExactly("unknown", "unknown");
    }

    @ParameterizedTest
    @CsvSource({"Row major linear FP32,FP32", "Row major linear BF16,BF16", "Row major Int32,INT32",
        "Two wide channel vectorized row major FP16 format,FP16", "Row major linear Float,FP32", "Half,FP16",
        "Something new,unknown"})
    void readsTheTypeWord(String text, String expected) {
        assertThat(InspectorJson.precisionOf(text)).isEqualTo(expected);
    }

    @Test
    void notADocumentIsSaidSo() {
        assertThatThrownBy(() -> InspectorJson.layers("Layers: none")).hasMessageContaining("is not JSON");
        assertThatThrownBy(() -> InspectorJson.layers("{\"Bindings\": []}")).hasMessageContaining("no \"Layers\"");
    }
}
