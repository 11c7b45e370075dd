package io.ortune.graph.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.validate.ValidationException;

import org.junit.jupiter.api.Test;

class PipelineTest {

    /** A pass with a fixed name that runs {@code body}. */
    private record Stub(String name, java.util.function.Function<Model, PassResult> body) implements Pass {
        @Override
        public PassResult run(Model model) {
            return body.apply(model);
        }
    }

    private static Model modelWithDeadCode() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        b.exp(x);
        b.output(b.relu(b.identity(x)), "y");
        return b.model();
    }

    @Test
    void runsPassesInOrderAndPrefixesTheirChanges() {
        PassResult r = Pipeline.of(new IdentityEliminationPass(), new DeadCodeEliminationPass(),
                new TopologicalSortPass()).run(modelWithDeadCode());
        assertThat(r.changed()).isTrue();
        assertThat(r.changes()).containsExactly("identity-elimination: removed 1 Identity node",
                "dce: removed 1 dead node and 0 unused initializers");
        assertThat(r.model().graph().nodes()).hasSize(1);
    }

    @Test
    void aFailingPassIsNamedWithThePassesBeforeIt() {
        Pass broken = new Stub("explode", m -> {
            throw new IllegalStateException("no rule for op Foo");
        });
        Pipeline p = Pipeline.of(new TopologicalSortPass(), new DeadCodeEliminationPass(), broken);
        assertThatThrownBy(() -> p.run(modelWithDeadCode())).isInstanceOf(PassException.class)
                .hasMessage("pass 'explode' failed (after toposort, dce): no rule for op Foo")
                .satisfies(e -> {
                    PassException pe = (PassException) e;
                    assertThat(pe.passName()).isEqualTo("explode");
                    assertThat(pe.passesBefore()).containsExactly("toposort", "dce");
                    assertThat(pe.getCause()).isInstanceOf(IllegalStateException.class);
                });
    }

    @Test
    void theFirstPassFailingSaysSo() {
        Pass broken = new Stub("first", m -> {
            throw new IllegalArgumentException("bad");
        });
        assertThatThrownBy(() -> Pipeline.of(broken).run(modelWithDeadCode()))
                .hasMessage("pass 'first' failed (the first pass): bad");
    }

    @Test
    void validationBetweenPassesCatchesAnInvalidResult() {
        Pass corrupting = new Stub("corrupt", m -> {
            m.graph().addOutput(new Value("ghost", null));
            return PassResult.changed(m, "added a bad output");
        });
        Pipeline p = Pipeline.of(new DeadCodeEliminationPass(), corrupting).validatingBetweenPasses();
        assertThatThrownBy(() -> p.run(modelWithDeadCode())).isInstanceOf(PassException.class)
                .hasMessageStartingWith("pass 'corrupt' failed (after dce): it produced an invalid model: "
                        + "invalid model: 1 problem")
                .hasMessageContaining("graph 'g' output 'ghost' is not produced")
                .hasRootCauseInstanceOf(ValidationException.class);
    }

    @Test
    void withoutValidationTheSameResultPasses() {
        Pass corrupting = new Stub("corrupt", m -> {
            m.graph().addOutput(new Value("ghost", null));
            return PassResult.changed(m, "added a bad output");
        });
        assertThat(Pipeline.of(corrupting).run(modelWithDeadCode()).changed()).isTrue();
    }

    @Test
    void nestedPipelinesReportTheInnerPass() {
        Pass broken = new Stub("inner", m -> {
            throw new IllegalStateException("boom");
        });
        Pipeline inner = Pipeline.of(new TopologicalSortPass(), broken);
        assertThatThrownBy(() -> Pipeline.of(new DeadCodeEliminationPass(), inner).run(modelWithDeadCode()))
                .hasMessage("pass 'inner' failed (after dce, toposort): boom");
    }

    @Test
    void aPassReturningNothingFails() {
        assertThatThrownBy(() -> Pipeline.of(new Stub("null", m -> null)).run(modelWithDeadCode()))
                .hasMessage("pass 'null' failed (the first pass): the pass returned no model");
    }

    @Test
    void pipelineName() {
        assertThat(Pipeline.of(new DeadCodeEliminationPass(), new TopologicalSortPass()).name())
                .isEqualTo("pipeline[dce,toposort]");
    }
}
