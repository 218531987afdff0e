/**
 * Input gradients for the trigger search ({@link org.ncguard.engine.backprop.InputGradients}).
 *
 * <p>The search needs, for every stamped image, the logits and the gradient of a cross-entropy with respect to the
 * image, never the weights' gradients. {@link org.ncguard.engine.backprop.BackwardGraph} writes that backward pass
 * into the ONNX graph itself (ConvTranspose for Conv, MaxUnpool for MaxPool, Gemm for Gemm, ...), so ONNX Runtime's
 * kernels compute forward and backward in one run; SameDiff's automatic differentiation of the translated model is
 * the fallback for ops without a backward rule. Both are checked against each other, and SameDiff against PyTorch.
 */
package org.ncguard.engine.backprop;
