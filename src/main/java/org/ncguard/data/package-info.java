/**
 * Images in, model tensors out: data sources, preprocessing, and backdoor triggers.
 *
 * <p>Everything here works on plain {@code float[]} and {@code byte[]} so that both halves of ncguard
 * can use it without a tensor library. Images travel in one <em>canonical</em> form: pixels in [0,1],
 * channel-planar (CHW), at the size the data was stored in. Three seams change that form:
 * <ul>
 *   <li>{@link org.ncguard.data.DataSources} turns a spec string (an IDX file, a folder of class folders,
 *       {@code builtin:fashion-mnist}, {@code builtin:signs}) into an {@link org.ncguard.data.ImageSource},
 *       which keeps the stored bytes and converts them one image or batch at a time;</li>
 *   <li>{@link org.ncguard.data.Trigger} stamps a mask and pattern onto canonical images, the space in which
 *       Neural Cleanse searches for triggers;</li>
 *   <li>{@link org.ncguard.data.Preprocessor} maps canonical images to the model's input (layout, channels,
 *       scale, mean and std) and publishes that map as a per-channel affine so later stages can apply it
 *       after stamping.</li>
 * </ul>
 */
package org.ncguard.data;
