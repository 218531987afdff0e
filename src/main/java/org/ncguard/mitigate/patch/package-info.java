/**
 * Model patching, the paper's section 6 (b) and (c): neuron pruning and unlearning. Both start from the reversed
 * triggers of a scan's flagged labels, change only initializer values (graph, names, inputs, outputs and opset stay
 * as they were), and measure clean accuracy and attack success with ONNX Runtime before and after.
 */
package org.ncguard.mitigate.patch;
