package org.ncguard.engine;

/** The model's single image input: tensor name and image shape (batch excluded). */
public record ModelInput(String name, ImageShape shape) {

    /** The declared tensor shape with -1 for the batch dimension, in the model's layout. */
    public long[] dims() {
        return shape.batchShape(-1);
    }
}
