/** The {@code ncguard} command line (picocli): parses options, wires the other packages, prints. No logic of its own. */
package org.ncguard.cli;
