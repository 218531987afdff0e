package org.ncguard.engine;

import java.io.IOException;
import java.nio.file.Path;
import onnx.OnnxMl.ModelProto;
import org.ncguard.AtomicFiles;

/** Writes patched and trained models next to their source graph, whole or not at all. */
public final class ModelFiles {

    private ModelFiles() {}

    /** Writes {@code model} with some initializers replaced (a trained or patched model); the rest is kept as is. */
    public static void writeWithInitializers(Path file, ModelProto model, java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> values)
            throws IOException {
        AtomicFiles.write(file, ModelEditor.withInitializers(model, values).toByteArray());
    }
}
