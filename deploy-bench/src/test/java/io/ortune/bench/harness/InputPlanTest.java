package io.ortune.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Shape;
import io.ortune.runtime.ValueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs are derived from the graph inputs; what cannot be filled is refused by name. */
class InputPlanTest {

    private static ValueInfo v(String name, DataType t, Object... dims) {
        return new ValueInfo(name, ValueInfo.Kind.TENSOR, t, Shape.of(dims));
    }

    @Test
    void fillsTextInputsAndAnEmptyKvCache() {
        List<ValueInfo> in = List.of(v("input_ids", DataType.INT64, "batch_size", "sequence_length"),
                v("attention_mask", DataType.INT64, "batch_size", "total_sequence_length"),
                v("position_ids", DataType.INT32, "batch_size", "sequence_length"),
                v("token_type_ids", DataType.INT64, "batch_size", "sequence_length"),
                v("past_key_values.0.key", DataType.FLOAT, "batch_size", 4, "past_sequence_length", 16));
        InputPlan p = InputPlan.of("m.onnx", in, 8, 128);
        assertThat(p.inputs()).extracting(InputPlan.Fill::content).containsExactly(InputPlan.Content.TOKEN_IDS,
                InputPlan.Content.ONES, InputPlan.Content.POSITIONS, InputPlan.Content.ZEROS,
                InputPlan.Content.EMPTY_PAST);
        assertThat(p.inputs().get(0).dims()).containsExactly(8, 128);
        assertThat(p.inputs().get(2).dtype()).isEqualTo(DataType.INT32);
        assertThat(p.inputs().get(4).dims()).containsExactly(8, 4, 0, 16);
        assertThat(p.hasPast()).isTrue();
    }

    @Test
    void refusesAnInputItCannotFillNamingIt() {
        List<ValueInfo> in = List.of(v("input_ids", DataType.INT64, "b", "s"),
                v("pixel_values", DataType.FLOAT, "b", 3, 224, 224));
        assertThatThrownBy(() -> InputPlan.of("vit.onnx", in, 1, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot fill input 'pixel_values'")
                .hasMessageContaining("vit.onnx")
                .hasMessageContaining("input_ids, attention_mask, token_type_ids, position_ids or past_key_values");
    }

    @Test
    void refusesFloatIdsAndAPastWithSymbolicHeads() {
        assertThatThrownBy(() -> InputPlan.of("m", List.of(v("input_ids", DataType.FLOAT, "b", "s")), 1, 8))
                .hasMessageContaining("'input_ids'").hasMessageContaining("int64 or int32");
        assertThatThrownBy(() -> InputPlan.of("m", List.of(v("past_key_values.0.value", DataType.FLOAT, "b", "h",
                "p", 8)), 1, 8)).hasMessageContaining("dimension 1 must be a fixed size");
    }
}
