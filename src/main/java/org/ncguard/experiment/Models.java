package org.ncguard.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.ModelCard;
import org.ncguard.lab.TrainingOptions;

/**
 * The infected models and their clean twins, trained once and kept as {@code models/STEM.onnx} with their cards. The
 * stem carries the key of the training settings, so tasks with the same network and data share one clean twin.
 */
final class Models {

    private final ExperimentStore store;
    private final ExperimentSettings settings;

    Models(ExperimentStore store, ExperimentSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The file stem of a task's infected model or clean twin. */
    String stem(Task task, boolean infected) {
        return infected ? task.id() + "-infected-" + task.infectedModelKey(settings)
                : task.arch().id() + "-clean-" + task.cleanModelKey(settings);
    }

    /** Whether the model is already trained. */
    boolean trained(Task task, boolean infected) {
        return Files.isRegularFile(store.model(stem(task, infected)));
    }

    /** The model file, trained first when it is not there yet. */
    Path ensure(Task task, boolean infected) throws NcguardException {
        Path file = store.model(stem(task, infected));
        if (Files.isRegularFile(file)) {
            return file;
        }
        try (ImageSource train = DataSources.open(task.train()); ImageSource test = DataSources.open(task.test())) {
            AttackConfig config = AttackConfig.of(task.arch(), infected ? task.trigger() : null,
                    infected ? task.target() : null, Tasks.POISON_RATIO, !infected,
                    new TrainingOptions(settings.epochs(), 32, 1e-3, Tasks.TRAIN_SEED), settings.threads());
            Attack.write(Attack.run(config, train, test, new Preprocessor(Attack.inputFor(train.shape())),
                    file.getFileName().toString()), file);
        }
        return file;
    }

    /** Seconds the model's training run took, from its card. */
    double trainingSeconds(Path model) throws NcguardException {
        Path card = ModelCard.pathFor(model);
        try {
            return ExperimentStore.JSON.readTree(card.toFile()).path("seconds").asDouble(Double.NaN);
        } catch (IOException e) {
            throw new NcguardException("cannot read the model card " + card + ": " + e.getMessage(), e);
        }
    }
}
