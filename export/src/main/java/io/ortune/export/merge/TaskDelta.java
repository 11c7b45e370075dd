package io.ortune.export.merge;

/**
 * One adapter's change to one linear module, in float64: ΔW as [out, in] row-major (PyTorch Linear layout, whatever
 * the stored layout) and the bias change (null when the adapter leaves the bias alone or the layer has none).
 *
 * @param module   module path
 * @param adapter  adapter name
 * @param out      output width
 * @param in       input width
 * @param weight   ΔW, out·in values
 * @param bias     Δb, out values, or null
 */
record TaskDelta(String module, String adapter, int out, int in, double[] weight, double[] bias) { }
