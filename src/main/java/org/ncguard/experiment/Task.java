package org.ncguard.experiment;

import org.ncguard.data.TriggerSpec;
import org.ncguard.lab.Architecture;

/**
 * One of the paper's tasks as this code runs it: a network, its data, and the backdoor planted in the infected model.
 *
 * @param id        the name on the command line and in file names
 * @param title     what the results call it
 * @param paperTask the paper's task it stands for
 * @param arch      the network
 * @param train     training data spec
 * @param test      test data spec: Table 2 and the patches measure on it
 * @param scan      the clean images the scan and the filter read (the defender's data)
 * @param trigger   the planted trigger
 * @param target    the attacker's label
 */
public record Task(String id, String title, String paperTask, Architecture arch, String train, String test,
        String scan, TriggerSpec trigger, int target) {

    /** The clean twin's model id: tasks that share a network and training data share their clean twin. */
    String cleanModelKey(ExperimentSettings s) {
        return StepKey.of("clean", arch.id(), train, Integer.toString(s.epochs()), Long.toString(Tasks.TRAIN_SEED));
    }

    /** The infected model's key: its training settings. */
    String infectedModelKey(ExperimentSettings s) {
        return StepKey.of("infected", arch.id(), train, trigger.spec(), Integer.toString(target),
                Double.toString(Tasks.POISON_RATIO), Integer.toString(s.epochs()), Long.toString(Tasks.TRAIN_SEED));
    }
}
