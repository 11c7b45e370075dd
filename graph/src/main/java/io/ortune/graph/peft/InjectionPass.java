package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;
import io.ortune.graph.pass.Pass;
import io.ortune.graph.pass.PassResult;

/**
 * A PEFT method as a pass: {@link #inject} copies the model, adds the adapter to the copy and reports what it did;
 * {@link #run} is the same for {@link io.ortune.graph.pass.Pipeline}s, with the report's lines as the changes.
 */
public interface InjectionPass extends Pass {

    /** Injects the adapter into a copy of {@code model}; {@code model} is not changed. */
    Injection inject(Model model);

    @Override
    default PassResult run(Model model) {
        Injection inj = inject(model);
        return PassResult.changed(inj.model(), inj.report().summary().split("\n"));
    }
}
