package org.ncguard.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import onnx.OnnxMl.ModelProto;

/** Writes model files whole or not at all: a temporary file in the same folder, then an atomic rename. */
public final class ModelFiles {

    private ModelFiles() {}

    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code model} with some initializers replaced (a trained or patched model); the rest is kept as is. */
    public static void writeWithInitializers(Path file, ModelProto model, java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> values)
            throws IOException {
        writeAtomically(file, ModelEditor.withInitializers(model, values).toByteArray());
    }
}
