package org.ncguard.data;

/**
 * One image in canonical form with its label.
 *
 * @param pixels values in [0,1], channel-planar (CHW), as many as the source's {@link ImageSource#shape()} holds
 * @param label class index in {@code [0, labelCount)}
 */
public record LabeledImage(float[] pixels, int label) {
}
