/**
 * {@code ncguard experiment}: the paper's evaluation, reproduced on this code. A {@link org.ncguard.experiment.Plan}
 * of tasks x models x seeds runs the lab, the scan, the profile and the patches through the library (one process,
 * data loaded once); every finished step is kept in the output folder under a key of its settings
 * ({@link org.ncguard.experiment.ExperimentStore}), so that a rerun with {@code --resume} reads it back. One class per
 * table or figure turns the steps' results into {@link org.ncguard.experiment.Section}s, which
 * {@link org.ncguard.experiment.ResultsWriter} writes as Markdown, HTML and PNG plots.
 */
package org.ncguard.experiment;
