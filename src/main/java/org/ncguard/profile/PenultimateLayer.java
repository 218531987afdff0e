package org.ncguard.profile;

/**
 * The layer the profile's neurons belong to: the activation feeding the classifier's last dense layer.
 *
 * @param name the ONNX tensor name
 * @param size its number of features
 */
public record PenultimateLayer(String name, int size) {

    public PenultimateLayer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("penultimate tensor name is required");
        }
        if (size < 1) {
            throw new IllegalArgumentException("penultimate size must be >= 1, found " + size);
        }
    }
}
