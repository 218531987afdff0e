package org.ncguard.reverse.bench;

import java.util.List;
import org.ncguard.reverse.FlagRule;

/** The flag rules the detection benchmark compares: the paper's, ncguard's, and the candidates they were chosen from. */
public final class CandidateRules {

    private CandidateRules() {
    }

    /** Every rule measured, the paper's first and ncguard's second. */
    public static List<FlagRule> all() {
        return List.of(
                FlagRule.PAPER,
                FlagRule.NCGUARD,
                FlagRule.OUTLIERS_NATURAL_GUARDED,
                new FlagRule("mad2/log2.5+natural+guard0.25", 2, 2.5, 0, 0.5, 0.25),
                new FlagRule("mad2+natural", 2, 0, 0, 0.5, 0),
                new FlagRule("log2", 0, 2, 0, 2, 0),
                new FlagRule("log2+natural", 0, 2, 0, 0.5, 0),
                new FlagRule("log2.5+natural", 0, 2.5, 0, 0.5, 0),
                new FlagRule("log3+natural", 0, 3, 0, 0.5, 0),
                new FlagRule("mad2/log2+natural", 2, 2, 0, 0.5, 0),
                new FlagRule("mad2/log2+natural+guard0.2", 2, 2, 0, 0.5, 0.2),
                new FlagRule("mad2+natural+guard0.25", 2, 0, 0, 0.5, 0.25),
                new FlagRule("log2+natural+guard0.25", 0, 2, 0, 0.5, 0.25),
                new FlagRule("mad2/log2+natural+guard0.3", 2, 2, 0, 0.5, 0.3),
                new FlagRule("mad2/log2+natural+guard0.5", 2, 2, 0, 0.5, 0.5),
                new FlagRule("mad2/log2+natural+guard0.25", 2, 2, 0, 0.5, 0.25),
                new FlagRule("mad2/log2.5", 2, 2.5, 0, 2, 0),
                new FlagRule("mad2/log2.5+natural", 2, 2.5, 0, 0.5, 0),
                new FlagRule("mad2/log2.5+natural+guard0.2", 2, 2.5, 0, 0.5, 0.2),
                new FlagRule("mad2/log2.5+natural+guard0.3", 2, 2.5, 0, 0.5, 0.3),
                new FlagRule("mad2/log2.5+natural+guard0.5", 2, 2.5, 0, 0.5, 0.5),
                new FlagRule("mad2/log3+natural+guard0.25", 2, 3, 0, 0.5, 0.25),
                new FlagRule("log2.5+natural+guard0.25", 0, 2.5, 0, 0.5, 0.25),
                new FlagRule("log3+natural+guard0.25", 0, 3, 0, 0.5, 0.25),
                new FlagRule("small0.5+natural", 0, 0, 0.5, 0.5, 0),
                new FlagRule("small0.4+natural", 0, 0, 0.4, 0.5, 0),
                new FlagRule("mad2/log2/small0.5+natural", 2, 2, 0.5, 0.5, 0),
                new FlagRule("mad2/log2+natural0.7", 2, 2, 0, 0.7, 0),
                new FlagRule("mad2/log2+natural0.3", 2, 2, 0, 0.3, 0),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.03", 2, 2.5, 0, 0.5, 0.25, 0.03),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.05", 2, 2.5, 0, 0.5, 0.25, 0.05),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.08", 2, 2.5, 0, 0.5, 0.25, 0.08),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.12", 2, 2.5, 0, 0.5, 0.25, 0.12),
                new FlagRule("mad2/log2.5+transfer0.05", 2, 2.5, 0, 0.5, 0, 0.05),
                new FlagRule("mad2/log2+guard0.25+transfer0.05", 2, 2, 0, 0.5, 0.25, 0.05),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.05-or-natural>0.3", 2, 2.5, 0, 0.5, 0.25, 0.05, 0.3),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.05-or-natural>0.5", 2, 2.5, 0, 0.5, 0.25, 0.05, 0.5),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.01-or-natural>0.5", 2, 2.5, 0, 0.5, 0.25, 0.01, 0.5),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.02", 2, 2.5, 0, 0.5, 0.25, 0.02),
                new FlagRule("mad2/log2.5+guard0.25+transfer0.05-or-natural", 2, 2.5, 0, 0.5, 0.25, 0.05, 0));
    }

    /** The rule named {@code name}, if measured. */
    public static FlagRule named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no rule named " + name + "; measured: "
                        + all().stream().map(FlagRule::name).toList()));
    }
}
