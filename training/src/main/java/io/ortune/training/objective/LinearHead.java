package io.ortune.training.objective;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.Random;

/**
 * A new linear head {@code y = x · W + b} with W [in, out] drawn from a seeded normal (std {@code initStd}, as
 * Hugging Face initialises classification heads with {@code initializer_range}) and b = 0.
 */
final class LinearHead {

    private LinearHead() {
    }

    /** The weight and bias initializer names of a head called {@code prefix}. */
    static List<String> parameters(String prefix) {
        return List.of(prefix + ".weight", prefix + ".bias");
    }

    /** Adds the head's initializers and {@code x · W + b}; returns y [batch, out]. */
    static Value apply(GraphBuilder b, String prefix, Value x, long in, long out, long seed, double initStd) {
        if (b.graph().initializer(prefix + ".weight") != null) {
            throw new IllegalArgumentException("the model already has an initializer '" + prefix + ".weight'; "
                    + "the head was appended before");
        }
        Random rnd = new Random(seed);
        float[] w = new float[Math.toIntExact(in * out)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (initStd * rnd.nextGaussian());
        }
        List<String> names = parameters(prefix);
        Value weight = b.initializer(names.get(0), Tensor.ofFloats(names.get(0), new long[] {in, out}, w));
        Value bias = b.initializer(names.get(1), Tensor.ofFloats(names.get(1), new long[] {out}, new float[(int) out]));
        return b.add(b.matMul(x, weight), bias);
    }
}
