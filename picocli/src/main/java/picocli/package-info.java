/**
 * picocli 4.7.7, vendored as source (see this module's pom.xml for why: class files the start-up cache can hold).
 * Unchanged from the release; drctl's own command code lives in dev.drctl.cli.
 */
package picocli;
