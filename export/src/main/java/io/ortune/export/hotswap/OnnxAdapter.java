package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content of one ONNX Runtime {@code .onnx_adapter} file: versions and named parameters, each replacing the
 * graph input of the same name when the adapter is active for a run. Checked when built: names unique and not
 * empty, every element type one the format has (ONNX codes 1..20 but STRING), byte counts matching the dims.
 *
 * @param adapterVersion the file's {@code adapter_version} (free for the user; ortune writes 1)
 * @param modelVersion   the file's {@code model_version}: ortune writes the {@link HotSwapGraph#signature} of the
 *                       hot-swap graph the adapter was made for (0: not tied to a graph)
 * @param parameters     the parameters, in file order
 */
public record OnnxAdapter(int adapterVersion, int modelVersion, List<Tensor> parameters) {

    /** The only {@code format_version} the schema defines. */
    public static final int FORMAT_VERSION = 1;
    /** The largest ONNX type code the format's {@code TensorDataType} enum has (FLOAT8E5M2FNUZ). */
    static final int MAX_TYPE_CODE = 20;

    public OnnxAdapter {
        parameters = List.copyOf(parameters);
        List<String> issues = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Tensor t : parameters) {
            if (t.name() == null || t.name().isEmpty()) {
                issues.add("a parameter has no name");
            } else if (!seen.add(t.name())) {
                issues.add("parameter '" + t.name() + "' appears twice");
            }
            issues.addAll(typeIssues(t));
        }
        if (!issues.isEmpty()) {
            throw new AdapterException("onnx_adapter parameters", issues);
        }
    }

    /** The parameters by name, in file order. */
    public Map<String, Tensor> byName() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (Tensor t : parameters) {
            m.put(t.name(), t);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Total parameter bytes. */
    public long byteSize() {
        long n = 0;
        for (Tensor t : parameters) {
            n += t.byteSize();
        }
        return n;
    }

    private static List<String> typeIssues(Tensor t) {
        DataType dt = t.dtype();
        if (dt == DataType.UNDEFINED || dt == DataType.STRING || dt.onnxCode() > MAX_TYPE_CODE) {
            return List.of("parameter '" + t.name() + "' has element type " + dt.onnxName() + ", which the "
                    + ".onnx_adapter format cannot hold (numeric ONNX types 1..20 but string)");
        }
        for (long d : t.dims()) {
            if (d < 0) {
                return List.of("parameter '" + t.name() + "' has a negative dimension " + d);
            }
        }
        return List.of();
    }
}
