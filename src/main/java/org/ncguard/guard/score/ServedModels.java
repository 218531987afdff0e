package org.ncguard.guard.score;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ncguard.NcguardException;
import org.ncguard.engine.OnnxModel;

/** The models a guard serves, by the id requests name; owns their sessions. */
public final class ServedModels implements AutoCloseable {

    private final Map<String, ModelRunner> byId;

    private ServedModels(Map<String, ModelRunner> byId) {
        this.byId = byId;
    }

    /**
     * Loads and checks every model file and opens its session.
     *
     * @param files      model id to ONNX file, in the order given
     * @param ortThreads ONNX Runtime's intra-op threads per session
     * @throws NcguardException when a file is missing or not a classifier ncguard can serve
     */
    public static ServedModels load(Map<String, Path> files, int ortThreads) throws NcguardException {
        if (files.isEmpty()) {
            throw new NcguardException("no model to serve; give one with --model ID=M.onnx");
        }
        Map<String, ModelRunner> runners = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                runners.put(e.getKey(), new ModelRunner(e.getKey(), OnnxModel.load(e.getValue()), ortThreads));
            }
        } catch (NcguardException | RuntimeException e) {
            runners.values().forEach(ModelRunner::close);
            throw e;
        }
        return new ServedModels(runners);
    }

    /** Takes ownership of already opened runners. */
    public static ServedModels of(List<ModelRunner> runners) {
        Map<String, ModelRunner> byId = new LinkedHashMap<>();
        for (ModelRunner r : runners) {
            if (byId.put(r.id(), r) != null) {
                throw new IllegalArgumentException("model id " + r.id() + " is given twice");
            }
        }
        return new ServedModels(byId);
    }

    /** The model requests call {@code id}, or null. */
    public ModelRunner get(String id) {
        return byId.get(id);
    }

    public Collection<ModelRunner> all() {
        return byId.values();
    }

    /** Served model ids. */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    @Override
    public void close() {
        byId.values().forEach(ModelRunner::close);
    }
}
