package io.ortune.graph.pass;

import io.ortune.graph.ir.Model;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.graph.validate.ValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Passes run one after the other, optionally validating the model after each that changed it. A pass that throws, or leaves an
 * invalid model, stops the pipeline with a {@link PassException} naming it and the passes that ran before it.
 * A pipeline is itself a pass; its change messages are prefixed with the pass names ({@code "dce: removed 3 dead
 * nodes"}).
 */
public final class Pipeline implements Pass {

    private final List<Pass> passes;
    private final boolean validate;

    private Pipeline(List<Pass> passes, boolean validate) {
        this.passes = List.copyOf(passes);
        this.validate = validate;
    }

    public static Pipeline of(Pass... passes) {
        return new Pipeline(List.of(passes), false);
    }

    public static Pipeline of(List<Pass> passes) {
        return new Pipeline(passes, false);
    }

    /**
     * The same passes, validating the model after each pass that changed it (errors fail that pass; warnings do
     * not). The input model itself is not validated: start with the {@code validate} pass for that.
     */
    public Pipeline validatingBetweenPasses() {
        return new Pipeline(passes, true);
    }

    public List<Pass> passes() {
        return passes;
    }

    @Override
    public String name() {
        return passes.stream().map(Pass::name).collect(Collectors.joining(",", "pipeline[", "]"));
    }

    @Override
    public PassResult run(Model model) {
        List<String> done = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        boolean changed = false;
        Model current = model;
        for (Pass p : passes) {
            PassResult r = runOne(p, current, done);
            current = r.model();
            changed |= r.changed();
            for (String c : r.changes()) {
                changes.add(p instanceof Pipeline ? c : p.name() + ": " + c);
            }
            done.add(p.name());
        }
        return new PassResult(current, changed, changes);
    }

    private PassResult runOne(Pass p, Model current, List<String> done) {
        PassResult r;
        try {
            r = p.run(current);
        } catch (PassException e) {
            List<String> before = new ArrayList<>(done);
            before.addAll(e.passesBefore());
            throw new PassException(e.passName(), before, e.getCause());
        } catch (RuntimeException e) {
            throw new PassException(p.name(), done, e);
        }
        if (r == null || r.model() == null) {
            throw new PassException(p.name(), done, new IllegalStateException("the pass returned no model"));
        }
        if (validate && r.changed()) {
            try {
                ModelValidator.validateOrThrow(r.model());
            } catch (ValidationException e) {
                throw new PassException(p.name(), done, new IllegalStateException("it produced an invalid model: "
                        + e.getMessage(), e));
            }
        }
        return r;
    }
}
