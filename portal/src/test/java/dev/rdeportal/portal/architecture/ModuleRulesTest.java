package dev.rdeportal.portal.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md, checked on the compiled classes of every control-plane module. */
class ModuleRulesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.rdeportal");
    }

    @Test
    void everyModuleIsImported() {
        for (String pkg : new String[] {"dev.rdeportal.domain", "dev.rdeportal.command", "dev.rdeportal.query",
                "dev.rdeportal.gateway", "dev.rdeportal.proto", "dev.rdeportal.portal"}) {
            org.assertj.core.api.Assertions.assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s on the test classpath", pkg).isTrue();
        }
    }

    @Test
    void commandSideNeverSeesQuerySide() {
        noClasses().that().resideInAPackage("dev.rdeportal.command..")
                .should().dependOnClassesThat().resideInAPackage("dev.rdeportal.query..")
                .check(classes);
    }

    @Test
    void querySideNeverSeesCommandSide() {
        noClasses().that().resideInAPackage("dev.rdeportal.query..")
                .should().dependOnClassesThat().resideInAPackage("dev.rdeportal.command..")
                .check(classes);
    }

    @Test
    void domainDependsOnNoFrameworkButAxonAnnotations() {
        classes().that().resideInAPackage("dev.rdeportal.domain..")
                .should().onlyDependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe("java, the domain, or Axon's annotations",
                                c -> c.getPackageName().startsWith("java.")
                                        || c.getPackageName().startsWith("dev.rdeportal.domain")
                                        || c.getName().equals("org.axonframework.modelling.command.TargetAggregateIdentifier")
                                        || c.getName().equals("org.axonframework.serialization.Revision")
                                        || c.isPrimitive() || c.isArray() && c.getBaseComponentType().isPrimitive()))
                .check(classes);
    }

    @Test
    void gatewayIsIndependentOfTheSidesAndThePortal() {
        noClasses().that().resideInAPackage("dev.rdeportal.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rdeportal.command..", "dev.rdeportal.query..",
                        "dev.rdeportal.portal..")
                .check(classes);
    }

    @Test
    void modulesNeverReachIntoThePortal() {
        noClasses().that().resideInAnyPackage("dev.rdeportal.command..", "dev.rdeportal.query..",
                        "dev.rdeportal.domain..", "dev.rdeportal.proto..")
                .should().dependOnClassesThat().resideInAPackage("dev.rdeportal.portal..")
                .check(classes);
    }

    @Test
    void theProtocolDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.rdeportal.proto..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rdeportal.domain..", "dev.rdeportal.command..",
                        "dev.rdeportal.query..", "dev.rdeportal.gateway..")
                .check(classes);
    }
}
