package io.ortune.graph.pass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PassRegistryTest {

    @Test
    void builtInNames() {
        assertThat(PassRegistry.builtIn().names()).containsExactly("dce", "dora", "fold-constants",
                "identity-elimination", "infer-shapes", "lora", "strip-training-only", "toposort", "upgrade-opset",
                "upgrade-opset-13", "validate");
    }

    @Test
    void createsPassesByName() {
        for (String name : PassRegistry.builtIn().names()) {
            assertThat(PassRegistry.builtIn().create(name).name()).isEqualTo(name);
            assertThat(PassRegistry.builtIn().description(name)).isNotBlank();
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> PassRegistry.builtIn().create("constant-folding"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown pass 'constant-folding'; known passes: dce, dora, fold-constants, "
                        + "identity-elimination, infer-shapes, lora, strip-training-only, toposort, upgrade-opset, "
                        + "upgrade-opset-13, validate");
    }

    @Test
    void nearMissesGetASuggestion() {
        assertThatThrownBy(() -> PassRegistry.builtIn().create("toposrt"))
                .hasMessageStartingWith("unknown pass 'toposrt' (did you mean 'toposort'?); known passes: dce,");
    }

    @Test
    void otherModulesAddPasses() {
        PassRegistry r = PassRegistry.builtIn().with("ia3-test", "inject IA3", TopologicalSortPass::new);
        assertThat(r.names()).contains("ia3-test", "dce");
        assertThat(PassRegistry.builtIn().contains("ia3-test")).isFalse();
        assertThatThrownBy(() -> r.with("dce", "again", DeadCodeEliminationPass::new))
                .hasMessage("a pass named 'dce' is already registered");
    }

    @Test
    void pipelineByNames() {
        Pipeline p = PassRegistry.builtIn().pipeline(java.util.List.of("fold-constants", "dce", "toposort"));
        assertThat(p.name()).isEqualTo("pipeline[fold-constants,dce,toposort]");
    }
}
