package org.ncguard.engine;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One BatchNormalization node translated for training: the batch's own mean and (biased) variance per channel, and
 * the initializers that hold the running statistics an exported model normalises with.
 *
 * <p>Training updates the running statistics as ONNX defines them, {@code running * momentum + batch * (1 -
 * momentum)}, with the variance made unbiased first, as PyTorch does.
 *
 * @param valuesPerImage how many values of one image each channel's statistics are taken over (height x width)
 */
public record BatchStatistics(String runningMean, String runningVariance, SDVariable mean, SDVariable variance,
        float momentum, long valuesPerImage) {
}
