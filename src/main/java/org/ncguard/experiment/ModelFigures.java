package org.ncguard.experiment;

import java.nio.file.Path;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.Evaluation;
import org.ncguard.lab.Evaluator;

/**
 * One row of Table 2: a model's clean accuracy and the attack success of the task's trigger on it (for a clean twin,
 * how often the trigger alone sends an image to the target), measured with ONNX Runtime on the task's test images.
 *
 * @param accuracy         clean accuracy, in [0, 1]
 * @param attackSuccess    stamped non-target test images classified as the target, in [0, 1]
 * @param samples          test images
 * @param trainingSeconds  the training run's wall time, from the model card
 * @param sha256           the model's SHA-256
 */
record ModelFigures(double accuracy, double attackSuccess, int samples, double trainingSeconds, String sha256) {

    /** Measures {@code model} on {@code task}'s test images with its trigger. */
    static ModelFigures measure(Task task, Path model, double trainingSeconds, int threads) throws NcguardException {
        OnnxModel m = OnnxModel.load(model);
        try (ImageSource test = DataSources.open(task.test());
                OrtScorer scorer = new OrtScorer(m, new ScorerOptions(threads))) {
            Evaluation e = new Evaluator(scorer, new Preprocessor(m.input().shape())).evaluate(test,
                    task.trigger().build(test.shape()), task.target());
            return new ModelFigures(e.accuracy(), e.attackSuccess() == null ? 0 : e.attackSuccess(), e.samples(),
                    trainingSeconds, m.sha256());
        }
    }
}
