/**
 * Mitigation, the paper's section 6: the input filter (a guard profile: the neurons a reversed trigger excites, scored
 * against thresholds calibrated on clean data), neuron pruning, and unlearning. Everything here works on the model
 * through ONNX Runtime and, for fine-tuning, its differentiable SameDiff copy; none of it knows Kafka.
 */
package org.ncguard.mitigate;
