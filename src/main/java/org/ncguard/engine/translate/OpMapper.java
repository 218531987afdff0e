package org.ncguard.engine.translate;

import org.ncguard.NcguardException;
import org.ncguard.onnx.Onnx.NodeProto;

/** Translates one ONNX node into SameDiff ops (or folds it into a constant), recording its outputs. */
@FunctionalInterface
interface OpMapper {
    void map(NodeProto node, TranslationContext ctx) throws NcguardException;
}
