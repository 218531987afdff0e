package org.ncguard.reverse;

import org.ncguard.NcguardException;
import org.ncguard.engine.DifferentiableModel;
import org.ncguard.engine.Gradients;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.translate.GraphTranslator;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Neural Cleanse loss for a group of labels, as one SameDiff graph around the translated model.
 *
 * <p>Each label l has its own mask {@code m_l = tanh(mraw_l)/(2-eps)+0.5} (H x W, shared by the channels) and pattern
 * {@code p_l} (C x H x W) in canonical pixel space [0,1]. A batch of clean images x is stamped with every label's
 * trigger, {@code (1-m_l)*x + m_l*p_l}, giving L x B images that go through the model's own preprocessing (a
 * per-channel affine) and the model. The loss is {@code sum_l (mean cross-entropy to l + cost_l * |m_l|_1)}: the
 * labels' terms are independent, so one backward pass gives every label its own gradient.
 */
final class TriggerGraph {

    static final String IMAGES = "images";
    static final String TARGETS = "targets";
    static final String COST = "cost";
    static final String MASK_RAW = "maskRaw";
    static final String PATTERN_RAW = "patternRaw";
    static final String LOGITS = "stampedLogits";
    static final String L1 = "maskL1";

    /** Keeps tanh(x)/(2-eps)+0.5 strictly inside (0,1), as the original code does. */
    static final double EPSILON = 1e-7;

    private final SameDiff sd;
    private final int labels;

    TriggerGraph(OnnxModel model, int labels, float[] gain, float[] offset) throws NcguardException {
        this.labels = labels;
        ImageShape shape = model.input().shape();
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        sd = SameDiff.create();
        SDVariable images = sd.placeHolder(IMAGES, DataType.FLOAT, -1, c, h, w);
        SDVariable targets = sd.placeHolder(TARGETS, DataType.FLOAT, -1, model.labels());
        SDVariable cost = sd.placeHolder(COST, DataType.FLOAT, labels);
        SDVariable maskRaw = sd.var(MASK_RAW, Nd4j.zeros(DataType.FLOAT, labels, 1, 1, h, w));
        SDVariable patternRaw = sd.var(PATTERN_RAW, Nd4j.zeros(DataType.FLOAT, labels, 1, c, h, w));
        SDVariable mask = sd.math().tanh(maskRaw).div(2 - EPSILON).add(0.5);
        SDVariable pattern = sd.math().tanh(patternRaw).div(2 - EPSILON).add(0.5);

        SDVariable clean = sd.expandDims(images, 0);                                    // [1, B, C, H, W]
        SDVariable stamped = clean.mul(mask.rsub(1.0)).add(mask.mul(pattern));          // [L, B, C, H, W]
        SDVariable flat = sd.reshape(stamped, -1, c, h, w);                             // [L*B, C, H, W]
        SDVariable input = flat.mul(sd.constant(Nd4j.createFromArray(gain).reshape(1, c, 1, 1)))
                .add(sd.constant(Nd4j.createFromArray(offset).reshape(1, c, 1, 1)));
        if (shape.layout() == Layout.NHWC) {
            input = sd.permute(input, 0, 2, 3, 1);
        }
        DifferentiableModel net = GraphTranslator.translate(model, sd, input);
        sd.identity(LOGITS, net.logits());

        SDVariable rows = sd.loss().softmaxCrossEntropy("crossEntropy", targets, net.logits(), null, LossReduce.NONE, 0.0);
        SDVariable perLabel = sd.mean(sd.reshape(rows, labels, -1), 1);                   // [L]
        SDVariable l1 = sd.sum(L1, mask, 1, 2, 3, 4);                                   // [L]
        SDVariable loss = sd.sum(perLabel).add(sd.sum(cost.mul(l1)));
        sd.setLossVariables(loss.rename("loss"));
        Gradients.prepare(sd);
    }

    SameDiff sameDiff() {
        return sd;
    }

    int labels() {
        return labels;
    }
}
