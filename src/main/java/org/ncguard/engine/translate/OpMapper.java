package org.ncguard.engine.translate;

import onnx.OnnxMl.NodeProto;
import org.ncguard.NcguardException;

/** Translates one ONNX node into SameDiff ops (or folds it into a constant), recording its outputs. */
@FunctionalInterface
interface OpMapper {
    void map(NodeProto node, TranslationContext ctx) throws NcguardException;
}
