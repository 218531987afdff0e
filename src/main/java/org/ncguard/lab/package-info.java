/**
 * The backdoor lab: trains infected classifiers and their clean twins, and measures them.
 *
 * <p>Neural Cleanse needs models with a known backdoor to be tested on, and a clean twin of each to show that
 * it does not flag innocent models. {@link org.ncguard.lab.Attack} trains one in Java, on the engine's
 * differentiable graph: an {@link org.ncguard.lab.Architecture} built with seeded weights, a
 * {@link org.ncguard.lab.Trainer} that runs Adam over shuffled mini-batches, and a {@link org.ncguard.lab.Poisoner}
 * that stamps a share of every batch with the trigger and relabels it to the target, as BadNets did. The clean
 * twin uses the same seed, so it starts from the same weights and sees the same images in the same order.
 * {@link org.ncguard.lab.Evaluator} measures any ONNX classifier with ONNX Runtime (clean accuracy and attack
 * success rate), and {@link org.ncguard.lab.ModelCard} records what was trained, on what, and how well.
 */
package org.ncguard.lab;
