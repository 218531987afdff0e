package org.ncguard.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;

/**
 * The experiment's output folder: {@code models/STEM.onnx} (with their cards), {@code scans/STEM/seed-S/} (complete
 * scans are reused, incomplete ones resumed) and {@code steps/NAME-KEY.json} for every other finished step. Every file
 * is written whole or not at all ({@link AtomicFiles}), so what is there is finished.
 */
final class ExperimentStore {

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path root;

    ExperimentStore(Path root) {
        this.root = root;
    }

    /**
     * Opens {@code out}: a new or empty folder, or with {@code resume} one an earlier run left.
     *
     * @throws NcguardException when {@code out} holds files and {@code resume} is off, or is not a folder
     */
    static ExperimentStore open(Path out, boolean resume) throws NcguardException {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new NcguardException("--out " + out + " is a file; give a folder for the experiment's output");
            }
            if (Files.isDirectory(out) && !resume) {
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new NcguardException("--out " + out + " already holds files; add --resume to continue "
                                + "that experiment (finished steps are read back), or choose another --out");
                    }
                }
            }
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new NcguardException("cannot create --out " + out + ": " + e.getMessage(), e);
        }
        return new ExperimentStore(out);
    }

    Path root() {
        return root;
    }

    Path model(String stem) {
        return root.resolve("models").resolve(stem + ".onnx");
    }

    Path scan(String stem, String mode, long seed) {
        return root.resolve("scans").resolve(stem).resolve(mode + "-seed-" + seed);
    }

    Path step(String name) {
        return root.resolve("steps").resolve(name + ".json");
    }

    /**
     * One invocation of the command on this folder.
     *
     * @param command     the command line
     * @param started     when it started, ISO-8601 UTC
     * @param wallSeconds its wall time
     * @param steps       steps in its plan
     * @param readBack    steps it read back instead of running
     */
    record Invocation(String command, String started, double wallSeconds, int steps, long readBack) {}

    /** Every invocation on this folder so far, oldest first, after adding {@code latest}. */
    List<Invocation> logInvocation(Invocation latest) throws NcguardException {
        Path file = root.resolve("invocations.json");
        List<Invocation> all = new ArrayList<>();
        try {
            if (Files.isRegularFile(file)) {
                all.addAll(List.of(JSON.readValue(file.toFile(), Invocation[].class)));
            }
            all.add(latest);
            AtomicFiles.write(file, JSON.writeValueAsBytes(all));
        } catch (IOException e) {
            throw new NcguardException("cannot update " + file + ": " + e.getMessage(), e);
        }
        return all;
    }

    /** The finished step {@code name}, if an earlier run wrote it. */
    <T> Optional<T> read(String name, Class<T> type) throws NcguardException {
        Path file = step(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new NcguardException("cannot read the finished step " + file + ": " + e.getMessage()
                    + "; delete it to run the step again", e);
        }
    }

    /** Keeps a finished step's result and returns it. */
    <T> T write(String name, T result) throws NcguardException {
        Path file = step(name);
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(result));
        } catch (IOException e) {
            throw new NcguardException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return result;
    }
}
