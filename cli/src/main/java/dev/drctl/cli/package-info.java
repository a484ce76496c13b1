/**
 * The command line: picocli commands, one class per row of DESIGN.md's usage table, the daemon that
 * composes every module, and the launcher entry point. The composition root: the only module that
 * binds a logging backend and the only place that reads the clock and the environment.
 * Nothing depends on it.
 */
package dev.drctl.cli;
