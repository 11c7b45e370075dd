package io.ortune.graph.peft;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.Collection;
import java.util.List;

/** The bookkeeping every injection pass shares: name checks, parameter counts, the report. */
final class InjectionRecords {

    private InjectionRecords() {
    }

    /** Fails when {@code m} already has an adapter named {@code adapter}. */
    static void requireNewAdapter(Model m, String adapter) {
        PeftMetadata.checkName(adapter, "adapter name");
        if (PeftMetadata.adapter(m, adapter).isPresent()) {
            throw new IllegalArgumentException("the model already has an adapter named '" + adapter + "' ("
                    + PeftMetadata.adapter(m, adapter).get().method().cliName() + "); give another name");
        }
    }

    /** Elements of every floating-point initializer of {@code g} with at least one dimension: PEFT's "all params". */
    static long floatParameters(Graph g) {
        long n = 0;
        for (Value v : g.initializers().values()) {
            if (v.constant().dtype().isFloatingPoint() && v.constant().rank() > 0) {
                n += v.constant().elementCount();
            }
        }
        return n;
    }

    /** Elements of the named initializers. */
    static long elements(Graph g, Collection<String> names) {
        long n = 0;
        for (String name : names) {
            n += g.initializer(name).constant().elementCount();
        }
        return n;
    }

    /** Records the adapter and its trainable tensors in {@code m} and builds the report. */
    static InjectionReport finish(Model m, AdapterInfo info, List<String> injected, List<SkippedCandidate> skipped) {
        PeftMetadata.addTrainable(m, info.tensors().values());
        PeftMetadata.putAdapter(m, info);
        return new InjectionReport(info.method(), info.name(), injected, skipped,
                elements(m.graph(), info.tensors().values()), floatParameters(m.graph()));
    }

    /** The PEFT file key of a tensor of {@code module}: {@code base_model.model.<module>.<suffix>}. */
    static String peftKey(String module, String suffix) {
        return "base_model.model." + module + "." + suffix;
    }
}
