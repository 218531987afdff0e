/**
 * ONNX to SameDiff, op by op: one mapper class per op family, shape arithmetic folded in Java. Exists because
 * SameDiff's own importer gives wrong logits on PyTorch exports.
 */
package org.ncguard.engine.translate;
