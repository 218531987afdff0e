package org.ncguard.reverse;

import org.ncguard.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.ncguard.NcguardException;

/**
 * The reversed triggers of a scan on disk: one JSON file per label plus its four PNGs, as {@link ScanFiles}
 * names them. Each file is written atomically, so a scan stopped half-way leaves whole files only.
 */
public final class TriggerStore {

    private final ScanFiles files;

    /** The trigger store of the scan directory {@code files}. */
    public TriggerStore(ScanFiles files) {
        this.files = files;
    }

    /**
     * Writes the trigger's JSON file, its mask, pattern and trigger PNGs, and the RGBA PNG that {@code --trigger
     * image:} stamps, replacing earlier ones.
     *
     * @throws NcguardException if a file cannot be written
     */
    public void save(ReversedTrigger trigger) throws NcguardException {
        int label = trigger.label();
        trigger.write(files.triggerJson(label));
        writePng(files.maskPng(label), TriggerImages.png(TriggerImages.mask(trigger)));
        writePng(files.patternPng(label), TriggerImages.png(TriggerImages.pattern(trigger)));
        writePng(files.triggerPng(label), TriggerImages.png(TriggerImages.trigger(trigger)));
        writePng(files.stampPng(label), TriggerImages.png(trigger.toTrigger().toRgba()));
    }

    private static void writePng(Path file, byte[] png) throws NcguardException {
        try {
            AtomicFiles.write(file, png);
        } catch (IOException e) {
            throw new NcguardException("Cannot write the image " + file + ": " + Json.firstLine(e), e);
        }
    }

    /**
     * The trigger of {@code label}, if one was saved.
     *
     * @throws NcguardException if its file is damaged or belongs to another label
     */
    public Optional<ReversedTrigger> load(int label) throws NcguardException {
        Path file = files.triggerJson(label);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ReversedTrigger trigger = ReversedTrigger.read(file);
        if (trigger.label() != label) {
            throw new NcguardException("Trigger file " + file + " holds label " + trigger.label() + ", expected "
                    + label + "; delete it and scan that label again");
        }
        return Optional.of(trigger);
    }

    /**
     * All saved triggers, by label.
     *
     * @throws NcguardException if a trigger file is damaged or the directory cannot be listed
     */
    public SortedMap<Integer, ReversedTrigger> loadAll() throws NcguardException {
        SortedMap<Integer, ReversedTrigger> all = new TreeMap<>();
        Path dir = files.triggersDir();
        if (!Files.isDirectory(dir)) {
            return Collections.unmodifiableSortedMap(all);
        }
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                OptionalInt label = ScanFiles.labelOfTriggerFile(file.getFileName().toString());
                if (label.isPresent()) {
                    all.put(label.getAsInt(), load(label.getAsInt()).orElseThrow());
                }
            }
        } catch (IOException e) {
            throw new NcguardException("Cannot list the trigger directory " + dir + ": " + Json.firstLine(e), e);
        }
        return Collections.unmodifiableSortedMap(all);
    }
}
