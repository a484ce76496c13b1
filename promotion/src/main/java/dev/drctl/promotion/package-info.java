/**
 * Pure analysis (is the primary dead?), ranking (who is best?) and decision, then per-engine promoters in
 * sub-packages. The decision classes import only {@code dev.drctl.topology} and {@code java.*}: no I/O, no clock.
 */
package dev.drctl.promotion;
