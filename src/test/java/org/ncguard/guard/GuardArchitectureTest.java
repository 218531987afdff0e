package org.ncguard.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The online guard stays free of ND4J and of the offline packages. */
class GuardArchitectureTest {

    /** The main classes only (scanning the whole class path for org.ncguard takes seconds). */
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(mainClasses());

    private static Path mainClasses() {
        try {
            return Path.of(GuardApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void guardDependsOnNeitherNd4jNorTheOfflinePackages() {
        noClasses().that().resideInAPackage("org.ncguard.guard..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.ncguard.reverse..",
                        "org.ncguard.lab..", "org.ncguard.mitigate..")
                .check(classes);
    }

    @Test
    void theImportSeesNd4jDependenciesWhereTheyAre() {
        assertTrue(classes.get(org.ncguard.engine.ModelEditor.class).getDirectDependenciesFromSelf().stream()
                .anyMatch(d -> d.getTargetClass().getPackageName().startsWith("org.nd4j")),
                "a control: the rule above would see an ND4J dependency");
    }

    @Test
    void policyHasNoKafkaInIt() {
        noClasses().that().haveSimpleName("GuardPolicy").or().haveSimpleName("GuardPolicy$Decision")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .check(classes);
    }

    @Test
    void offlinePackagesDoNotImportKafka() {
        noClasses().that().resideInAnyPackage("org.ncguard.reverse..", "org.ncguard.lab..", "org.ncguard.mitigate..",
                        "org.ncguard.profile..", "org.ncguard.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .check(classes);
    }
}
