package io.ortune.graph.pass;

import io.ortune.graph.ir.Model;

/**
 * One rewrite of a model. A pass must leave the model it is given unchanged: it returns a new model, or the same
 * instance when it changed nothing. Passes that would rather mutate in place must say so in their documentation
 * and are not for {@link Pipeline}s over shared models.
 */
public interface Pass {

    /** The pass's name, as the CLI spells it ({@code dce}, {@code fold-constants}). */
    String name();

    /** Runs the pass; failures are exceptions with a message naming what could not be done. */
    PassResult run(Model model);
}
