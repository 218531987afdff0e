package org.ncguard.reverse;

import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a scan keeps its files, all under one output directory:
 * <pre>
 * scan.json                      the {@link ScanReport}
 * report.html                    the page for people ({@link ReportPage})
 * triggers/label-07.json         the {@link ReversedTrigger} of label 7
 * triggers/label-07-mask.png     its mask (grey), pattern, and mask*pattern on black ({@link TriggerImages})
 * triggers/label-07-pattern.png
 * triggers/label-07-trigger.png
 * triggers/label-07-stamp.png    the trigger at the images' size, alpha = mask: {@code --trigger image:} stamps it
 * </pre>
 * Label numbers have at least two digits ({@code label-07}, {@code label-123}).
 *
 * @param dir the scan's output directory
 */
public record ScanFiles(Path dir) {

    private static final Pattern TRIGGER_JSON = Pattern.compile("label-(\\d+)\\.json");

    public ScanFiles {
        if (dir == null) {
            throw new IllegalArgumentException("scan directory is required");
        }
    }

    /** The scan report. */
    public Path scanJson() {
        return dir.resolve("scan.json");
    }

    /** The HTML report. */
    public Path reportHtml() {
        return dir.resolve("report.html");
    }

    /** The directory of trigger files and images. */
    /** The model the transfer check trained on the scan's clean images, kept so that a resumed scan reuses it. */
    public Path referenceModel() {
        return dir.resolve("reference-model.onnx");
    }

    public Path triggersDir() {
        return dir.resolve("triggers");
    }

    /** The reversed trigger of {@code label}. */
    public Path triggerJson(int label) {
        return triggersDir().resolve(stem(label) + ".json");
    }

    /** The mask image of {@code label}. */
    public Path maskPng(int label) {
        return triggersDir().resolve(stem(label) + "-mask.png");
    }

    /** The pattern image of {@code label}. */
    public Path patternPng(int label) {
        return triggersDir().resolve(stem(label) + "-pattern.png");
    }

    /** The image of mask times pattern (what the trigger adds to an input) of {@code label}. */
    public Path triggerPng(int label) {
        return triggersDir().resolve(stem(label) + "-trigger.png");
    }

    /** The trigger at the images' own size, RGBA with the mask as alpha, as {@code --trigger image:} reads it. */
    public Path stampPng(int label) {
        return triggersDir().resolve(stem(label) + "-stamp.png");
    }

    /** {@code label-07} for label 7: the start of every file name of a label. */
    public static String stem(int label) {
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, found " + label);
        }
        return String.format(Locale.ROOT, "label-%02d", label);
    }

    /** The label of a trigger file name such as {@code label-07.json}; empty for other names. */
    static OptionalInt labelOfTriggerFile(String fileName) {
        Matcher m = TRIGGER_JSON.matcher(fileName);
        if (!m.matches() || m.group(1).length() > 9) {
            return OptionalInt.empty();
        }
        int label = Integer.parseInt(m.group(1));
        return fileName.equals(stem(label) + ".json") ? OptionalInt.of(label) : OptionalInt.empty();
    }
}
