package org.ncguard.cli;

import java.util.ArrayList;
import java.util.List;
import org.ncguard.NcguardException;

/** Comma-separated label lists, as {@code --labels} takes them. */
final class Labels {

    private Labels() {
    }

    /** The numbers in {@code spec}; the option's name goes into the error. */
    static List<Integer> parse(String option, String spec) throws NcguardException {
        List<Integer> list = new ArrayList<>();
        for (String part : spec.split(",")) {
            try {
                list.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new NcguardException(option + " expects numbers separated by commas, found '" + spec + "'");
            }
        }
        return list;
    }
}
