package io.chargeline.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the core free of frameworks and the adapters apart, as the design asks. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.chargeline");

    private static final List<String> ADAPTERS = List.of(
            "io.chargeline.store..", "io.chargeline.gateway..", "io.chargeline.http..", "io.chargeline.pki..",
            "io.chargeline.metrics..");

    @Test
    void core_usesNoFrameworkOrAdapter() {
        noClasses().that().resideInAPackage("io.chargeline.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.hivemq..", "io.netty..", "org.rocksdb..", "io.javalin..", "org.eclipse.jetty..", "io.micrometer..",
                        "org.bouncycastle..", "picocli..", "io.chargeline.app..",
                        "io.chargeline.store..", "io.chargeline.gateway..", "io.chargeline.http..",
                        "io.chargeline.pki..", "io.chargeline.metrics..")
                .check(CLASSES);
    }

    @Test
    void coreBuildingBlocks_doNotDependOnTheFeaturesBuiltOnThem() {
        noClasses().that().resideInAnyPackage("io.chargeline.core.telemetry..", "io.chargeline.core.device..",
                        "io.chargeline.core.presence..", "io.chargeline.core.timing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chargeline.core.alarm..",
                        "io.chargeline.core.command..", "io.chargeline.core.job..", "io.chargeline.core.artifact..",
                        "io.chargeline.core.webhook..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("io.chargeline.core.timing..")
                .should().dependOnClassesThat().resideInAnyPackage("io.chargeline.core.telemetry..",
                        "io.chargeline.core.device..", "io.chargeline.core.presence..")
                .check(CLASSES);
    }

    @Test
    void adapters_doNotDependOnEachOther() {
        for (String adapter : ADAPTERS) {
            String[] others = ADAPTERS.stream().filter(a -> !a.equals(adapter)).toArray(String[]::new);
            noClasses().that().resideInAPackage(adapter)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(CLASSES);
        }
    }
}
