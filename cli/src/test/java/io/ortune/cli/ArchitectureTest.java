package io.ortune.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lines the architecture draws, held on the main classes of every module (the CLI sees them all): data flows
 * graph → runtime → models → training → export → deploy-bench → cli, protobuf stays in the serializer, picocli and
 * {@code System.exit} stay in the CLI.
 */
class ArchitectureTest {

    private static final String GRAPH = "io.ortune.graph..";
    private static final String RUNTIME = "io.ortune.runtime..";
    private static final String MODELS = "io.ortune.models..";
    private static final String TRAINING = "io.ortune.training..";
    private static final String EXPORT = "io.ortune.export..";
    private static final String BENCH = "io.ortune.bench..";
    private static final String PIPELINE = "io.ortune.pipeline..";
    private static final String CLI = "io.ortune.cli..";
    private static final String TENSORRT = "io.ortune.tensorrt..";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ortune");
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void everyModuleIsImported() {
        for (String p : new String[] {"io.ortune.graph", "io.ortune.runtime", "io.ortune.models", "io.ortune.training",
                "io.ortune.bench", "io.ortune.tensorrt", "io.ortune.cli"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(p)))
                    .as("main classes of %s on the test class path", p).isTrue();
        }
    }

    @Test
    void graphDependsOnNoOtherModule() {
        check(noClasses().that().resideInAPackage(GRAPH).should().dependOnClassesThat()
                .resideInAnyPackage(RUNTIME, MODELS, TRAINING, EXPORT, BENCH, CLI));
    }

    @Test
    void runtimeDependsOnlyOnGraph() {
        check(noClasses().that().resideInAPackage(RUNTIME).should().dependOnClassesThat()
                .resideInAnyPackage(MODELS, TRAINING, EXPORT, BENCH, CLI));
    }

    @Test
    void modelsDependOnlyOnGraphAndRuntime() {
        check(noClasses().that().resideInAPackage(MODELS).should().dependOnClassesThat()
                .resideInAnyPackage(TRAINING, EXPORT, BENCH, CLI));
    }

    @Test
    void trainingDoesNotDependOnExportBenchOrCli() {
        check(noClasses().that().resideInAPackage(TRAINING).should().dependOnClassesThat()
                .resideInAnyPackage(EXPORT, BENCH, CLI));
    }

    @Test
    void exportDoesNotDependOnBenchOrCli() {
        check(noClasses().that().resideInAPackage(EXPORT).should().dependOnClassesThat()
                .resideInAnyPackage(BENCH, CLI).allowEmptyShould(true));
    }

    @Test
    void benchDoesNotDependOnCli() {
        check(noClasses().that().resideInAPackage(BENCH).should().dependOnClassesThat().resideInAPackage(CLI));
    }

    /** Engine building stays small: graph + jackson + the TensorRT/CUDA presets, never ONNX Runtime. */
    @Test
    void tensorrtDependsOnlyOnGraphAndNeverOnOnnxRuntime() {
        check(noClasses().that().resideInAPackage(TENSORRT).should().dependOnClassesThat()
                .resideInAnyPackage(RUNTIME, MODELS, TRAINING, EXPORT, BENCH, CLI, "org.bytedeco.onnxruntime.."));
    }

    /** The TensorRT/CUDA presets load natives when touched: only the tensorrt module touches them. */
    @Test
    void onlyTheTensorrtModuleTouchesTheTensorRtAndCudaPresets() {
        check(noClasses().that().resideOutsideOfPackage(TENSORRT).should().dependOnClassesThat()
                .resideInAnyPackage("org.bytedeco.tensorrt..", "org.bytedeco.cuda.."));
    }

    @Test
    void onlyTheCliUsesThePipelineAndThePipelineNotTheCli() {
        check(noClasses().that().resideOutsideOfPackages(PIPELINE, CLI).should().dependOnClassesThat()
                .resideInAPackage(PIPELINE));
        check(noClasses().that().resideInAPackage(PIPELINE).should().dependOnClassesThat().resideInAPackage(CLI));
    }

    @Test
    void onlyTheCliUsesPicocli() {
        check(noClasses().that().resideOutsideOfPackage(CLI).should().dependOnClassesThat()
                .resideInAPackage("picocli.."));
    }

    @Test
    void protobufOnlyInTheSerializer() {
        check(noClasses().that().resideOutsideOfPackage("io.ortune.graph.onnx..").should().dependOnClassesThat()
                .resideInAnyPackage("com.google.protobuf..", "io.ortune.graph.onnx.proto.."));
    }

    @Test
    void onlyTheCliExits() {
        check(noClasses().that().resideOutsideOfPackage(CLI).should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class));
    }
}
