/**
 * Scoring on the hot path: one ONNX Runtime session per served model, and per stream task a worker that owns its
 * input and output buffers, so that a request costs one model run and no allocation of sessions, tensors or arrays.
 */
package org.ncguard.guard.score;
