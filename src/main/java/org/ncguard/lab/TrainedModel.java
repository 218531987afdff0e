package org.ncguard.lab;

import org.ncguard.onnx.Onnx.ModelProto;

/**
 * What a training run produced: the model with its trained weights (same graph, names and opset as the untrained
 * one) and how the run went.
 *
 * @param proto the trained model
 * @param epochSeconds wall-clock seconds of each epoch
 * @param finalLoss mean training loss over the last epoch
 * @param finalAccuracy training accuracy over the last epoch, poisoned images counted with their new label
 * @param images training images seen per epoch
 * @param poisoned images stamped and relabelled, over all epochs
 */
public record TrainedModel(ModelProto proto, double[] epochSeconds, double finalLoss, double finalAccuracy,
        int images, long poisoned) {

    /** Seconds of all epochs together. */
    public double trainingSeconds() {
        double s = 0;
        for (double e : epochSeconds) {
            s += e;
        }
        return s;
    }

    /** Mean seconds per epoch. */
    public double secondsPerEpoch() {
        return trainingSeconds() / epochSeconds.length;
    }
}
