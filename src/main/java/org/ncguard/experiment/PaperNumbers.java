package org.ncguard.experiment;

import java.util.List;

/**
 * The paper's own figures beside ours: only numbers confirmed from the paper's text may go here, each with its table
 * or figure. None could be checked against the text where this page was made, so none is quoted rather than one
 * remembered wrongly; the section says so.
 */
final class PaperNumbers {

    private PaperNumbers() {
    }

    static Section section() {
        return new Section("The paper's numbers", List.of("Wang et al., \"Neural Cleanse: Identifying and Mitigating "
                + "Backdoor Attacks in Neural Networks\", IEEE S&P 2019. Its tables could not be checked against the "
                + "paper's text when this page was generated, so no number of the paper is quoted beside ours: compare"
                + " with Table II (attack success and accuracy), Fig. 3 (anomaly index), Fig. 4 (triggers), Fig. 5 "
                + "(filter, pruning) and Table IV (unlearning) of the paper itself. What this page takes from the "
                + "paper is its method: the outlier threshold of 2 on the anomaly index, FNR at FPRs of 1, 5, 10 and "
                + "20%, pruning in order of the activation gap, and unlearning on 10% of the training data with 20% "
                + "of it stamped."), List.of(), List.of());
    }
}
