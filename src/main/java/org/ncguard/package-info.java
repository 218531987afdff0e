/**
 * ncguard: a backdoor guard for image classifiers.
 *
 * <p>Offline, {@code reverse} runs Neural Cleanse on an ONNX model through the differentiable graph of
 * {@code engine}; {@code mitigate} turns its findings into a guard profile or a patched model. {@code data}
 * reads images and stamps triggers, {@code lab} makes backdoored models to test all of it, and {@code cli}
 * wires the commands.
 */
package org.ncguard;
