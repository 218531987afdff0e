package org.ncguard.reverse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ncguard.NcguardException;

/**
 * One part of a scan split over several workers ({@code scan --shard K/N}): the scan's labels, ascending, are dealt
 * out like cards, the i-th to shard {@code i mod N}. With all labels that is label l to shard l mod N; with
 * {@code --labels} it keeps the shards within one label of each other in size. K counts from 0, as Kubernetes'
 * {@code JOB_COMPLETION_INDEX} does.
 *
 * @param index      this shard, 0..count-1
 * @param count      how many shards the scan is split into
 * @param labels     the labels this shard scans, ascending
 * @param scanLabels the labels of the whole scan, ascending: what the merged shards must cover
 */
public record ScanShard(int index, int count, List<Integer> labels, List<Integer> scanLabels) {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    public ScanShard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be K/N with 0 <= K < N, found " + index + "/" + count);
        }
        labels = List.copyOf(labels);
        scanLabels = List.copyOf(scanLabels);
        if (!scanLabels.containsAll(labels)) {
            throw new IllegalArgumentException("shard labels " + labels + " are not all among the scan's labels "
                    + scanLabels);
        }
    }

    /** Shard {@code index} of {@code count} of a scan of {@code scanLabels}. */
    public static ScanShard of(int index, int count, List<Integer> scanLabels) throws NcguardException {
        List<Integer> all = scanLabels.stream().sorted().distinct().toList();
        if (count > all.size()) {
            throw new NcguardException("--shard " + index + "/" + count + ": the scan has only " + all.size()
                    + " label(s), so at most " + all.size() + " shards; use fewer shards");
        }
        List<Integer> mine = new ArrayList<>();
        for (int i = index; i < all.size(); i += count) {
            mine.add(all.get(i));
        }
        return new ScanShard(index, count, mine, all);
    }

    /** Reads {@code K/N} ({@code --shard}) for a scan of {@code scanLabels}. */
    public static ScanShard parse(String spec, List<Integer> scanLabels) throws NcguardException {
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new NcguardException("--shard expects K/N, this worker's index K (from 0) and the number of shards "
                    + "N, such as 0/3; found '" + spec + "'");
        }
        int index = Integer.parseInt(m.group(1));
        int count = Integer.parseInt(m.group(2));
        if (count < 1) {
            throw new NcguardException("--shard " + spec + ": the number of shards N must be at least 1");
        }
        if (index >= count) {
            throw new NcguardException("--shard " + spec + ": K counts from 0 to N-1 (shards 0/" + count + " to "
                    + (count - 1) + "/" + count + "), found K = " + index);
        }
        return of(index, count, scanLabels);
    }

    /** {@code K/N}, as {@code --shard} takes it. */
    public String name() {
        return index + "/" + count;
    }
}
