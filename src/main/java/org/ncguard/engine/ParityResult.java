package org.ncguard.engine;

/**
 * How closely the SameDiff translation reproduces ONNX Runtime: the largest absolute difference of any output,
 * the output scale it is judged against, and whether it is within {@link ParityCheck#RELATIVE_TOLERANCE}.
 */
public record ParityResult(int samples, double maxAbsDiff, double outputScale, boolean ok) {}
