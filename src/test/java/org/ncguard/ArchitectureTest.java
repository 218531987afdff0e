package org.ncguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering, checked rather than remembered: the offline stage and the guard meet only in the profile. The offline
 * packages never reach Kafka; the guard reaches neither ND4J nor the offline packages; the profile record reaches
 * neither Kafka nor ND4J nor the model engine, so that both halves can read it.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() throws URISyntaxException {
        // The main classes only: scanning the whole class path for org.ncguard takes seconds.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of(ArchitectureTest.class.getClassLoader().getResource("org/ncguard/cli/Main.class")
                        .toURI()).getParent().getParent().getParent().getParent());
    }

    @Test
    void guardDependsOnNeitherNd4jNorTheOfflinePackages() {
        noClasses().that().resideInAPackage("org.ncguard.guard..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.ncguard.reverse..",
                        "org.ncguard.lab..", "org.ncguard.mitigate..", "org.ncguard.demo..", "org.ncguard.cli..")
                .check(classes);
    }

    @Test
    void servingReachesNoNd4jEvenThroughTheEngine() {
        // The guard's image leaves ND4J's jars out: nothing the guard commands load may need them.
        noClasses().that().resideInAPackage("org.ncguard.guard..")
                .or().haveSimpleName("ServeCommand").or().haveSimpleName("PublishProfileCommand")
                .or().haveSimpleName("BrokerCommand").or().haveSimpleName("ReplayCommand")
                .or().haveSimpleName("SendCommand")
                .should().transitivelyDependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.bytedeco..",
                        "com.sun.jna..")
                .check(classes);
    }

    @Test
    void theImportSeesNd4jDependenciesWhereTheyAre() {
        assertTrue(classes.get(org.ncguard.engine.OnnxTensors.class).getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.nd4j")),
                "a control: the rule above would see an ND4J dependency");
    }

    @Test
    void onnxMessagesComeFromOurOwnOnnxProto() {
        // ND4J's copy (onnx.OnnxMl, on its shaded protobuf) would tie whoever reads a model to ND4J's jars.
        noClasses().should().dependOnClassesThat().resideInAnyPackage("onnx..", "org.nd4j.shade.protobuf..")
                .check(classes);
    }

    @Test
    void policyHasNoKafkaInIt() {
        noClasses().that().haveSimpleName("GuardPolicy").or().haveSimpleName("GuardPolicy$Decision")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .check(classes);
    }

    @Test
    void offlinePackagesDoNotUseKafkaOrTheGuard() {
        noClasses().that().resideInAnyPackage("org.ncguard.engine..", "org.ncguard.data..", "org.ncguard.lab..",
                        "org.ncguard.reverse..", "org.ncguard.mitigate..", "org.ncguard.page..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.apicurio..",
                        "org.ncguard.guard..", "org.ncguard.demo..")
                .check(classes);
    }

    @Test
    void profileRecordStandsAlone() {
        noClasses().that().resideInAPackage("org.ncguard.profile..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.nd4j..", "ai.onnxruntime..",
                        "org.ncguard.engine..", "org.ncguard.reverse..", "org.ncguard.lab..", "org.ncguard.mitigate..",
                        "org.ncguard.guard..", "org.ncguard.cli..")
                .check(classes);
    }
}
