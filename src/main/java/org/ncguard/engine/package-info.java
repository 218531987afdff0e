/**
 * The model engine both halves stand on: an ONNX file and what ncguard needs to know of it ({@link
 * org.ncguard.engine.OnnxModel}), ONNX Runtime scoring with the penultimate activations ({@link
 * org.ncguard.engine.OrtScorer}), a differentiable SameDiff copy ({@link org.ncguard.engine.DifferentiableModel},
 * built by {@code translate}), the parity check between the two, ONNX writing, and input gradients for the trigger
 * search ({@code backprop}).
 */
package org.ncguard.engine;
