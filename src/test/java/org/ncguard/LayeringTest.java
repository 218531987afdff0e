package org.ncguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline stage and the guard meet only in the profile: the offline packages never reach Kafka, and the profile
 * record reaches neither Kafka nor ND4J nor the model engine, so that both halves can read it.
 */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ncguard");
    }

    @Test
    void offlinePackagesDoNotUseKafka() {
        noClasses().that().resideInAnyPackage("org.ncguard.engine..", "org.ncguard.data..", "org.ncguard.lab..",
                        "org.ncguard.reverse..", "org.ncguard.mitigate..", "org.ncguard.page..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.apicurio..")
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
