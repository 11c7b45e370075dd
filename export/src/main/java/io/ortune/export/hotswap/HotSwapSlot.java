package io.ortune.export.hotswap;

import io.ortune.graph.ir.DataType;

/**
 * One LoRA site of a hot-swap graph: the three graph inputs an adapter sets for module {@code module}.
 *
 * @param module  the module path ({@code transformer.h.0.attn.c_attn})
 * @param a       the input holding A, [rank, in]
 * @param b       the input holding B, [out, rank]
 * @param scaling the scalar input holding PEFT's scaling (α/r or α/√r of the adapter active)
 * @param dtype   the element type of all three
 * @param rank    the graph's rank at this site: an adapter of a lower rank is padded with zeros, a higher one refused
 * @param in      the module's input features
 * @param out     the module's output features
 */
public record HotSwapSlot(String module, String a, String b, String scaling, DataType dtype, int rank, long in,
                          long out) {

    long[] aDims() {
        return new long[] {rank, in};
    }

    long[] bDims() {
        return new long[] {out, rank};
    }
}
